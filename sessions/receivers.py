"""The programme's answers to what registrations announces (registrations/signals.py).

Each receiver is a thin call into the programme's own services; the contract (when a
signal comes, what a receiver may do) is in registrations/signals.py. Connected in
``ProgrammeConfig.ready()``.
"""

from __future__ import annotations

from sessions import workshops


def registration_ended(*, user_id: int | None, conference_id: int, **_arguments) -> None:
    """A registration ended after commit: its workshop places (and places in line) in
    that edition go to the waiting lists. A copy that arrives after the person
    registered again, or arrives twice, changes nothing."""
    if user_id is None:
        return
    workshops.signups_release_for(user_id=user_id, conference_id=conference_id, unless_confirmed=True)


def person_erasing(*, user_id: int, **_arguments) -> None:
    """An account is about to be erased, inside its transaction: every workshop place
    the person holds, in every edition, goes to the waiting lists before the cascade
    deletes their sign-ups."""
    workshops.signups_release_for(user_id=user_id)
