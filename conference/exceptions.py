from __future__ import annotations


class DomainError(Exception):
    """The one error a service raises when a rule of the domain refuses an action.

    ``message`` is for people (translated; may be lazy, so it follows the language of
    whoever shows it), ``code`` for machines and tests, ``field`` names the form field it
    belongs to (``None``: the whole form), ``status`` is the HTTP status a view answers
    with (400 by default; 403 refused by a role, 409 a conflict with the current state).
    Each app may subclass it once (``RegistrationError``, ``ProgrammeError``) so callers
    can tell whose rule refused; views turn any of them into a form error or a response
    with ``conference.errors``.
    """

    def __init__(self, message, *, code: str, field: str | None = None, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field
        self.status = status
