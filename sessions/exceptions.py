from __future__ import annotations

from conference.exceptions import DomainError


class ProgrammeError(DomainError):
    """The programme's refusals (review, sign-up, door scans, placing and publishing).

    A refused publication also carries the hard ``conflicts`` that stopped it and their
    ``details`` (one sentence for people each), so the page can list them."""

    def __init__(
        self,
        message,
        *,
        code: str,
        field: str | None = None,
        status: int = 400,
        conflicts: list | None = None,
        details: list | None = None,
    ):
        super().__init__(message, code=code, field=field, status=status)
        self.conflicts = conflicts or []
        self.details = details or []
