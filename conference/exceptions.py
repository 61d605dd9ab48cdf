from __future__ import annotations


class ConferenceError(Exception):
    """A domain error of the core: ``message`` is for people (translated), ``code``
    for machines and tests. Views show the message next to the right field."""

    def __init__(self, message, *, code: str, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
