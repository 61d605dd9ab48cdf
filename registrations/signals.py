"""What happens to a delegate, announced to the apps built on registrations.

Registrations owns these signals and is the only sender; the apps above it
(the programme, visas, badges, exchanges) subscribe. Registrations and the core never
import those apps: a subscriber reacts through its own services, never by writing
registrations' rows, and registrations learns nothing back.

The signals
-----------
``registration_ended``
    A registration was cancelled or rejected (by the delegate, an organizer, a bulk
    decision, an expired offer, or an account being erased). Sent once, *after* the
    transaction that ended it commits (``transaction.on_commit``): nothing is sent when
    that transaction rolls back. Arguments: ``registration_id``, ``user_id`` (None when
    the registration has no person any more), ``conference_id``, ``status``
    ("cancelled" or "rejected"), ``by_id`` (the user who acted, None for the system)
    and ``reason`` (text the delegate may read, possibly empty).

``registration_confirmed``
    A registration became confirmed: at once on registering, by an approval, by an
    accepted offer, or by a promotion from the waiting list. Sent once after commit,
    with ``registration_id``, ``user_id``, ``conference_id`` and ``by_id``. The badges
    app makes a badge from it; the visas app may open letter requests.

``person_erasing``
    A person's account and personal data are about to be erased. Sent *inside* the
    erasing transaction, after their live registrations were cancelled and before any
    row is deleted (the account's rows disappear by cascade right after). Arguments:
    ``user_id``. Receivers release what the person holds through their own services
    (workshop places to the waiting list, letters revoked) while the rows still exist.
    If the erasure's transaction rolls back, so does what the receivers did.

What receivers may and may not do
---------------------------------
- Call their own app's services, which do their writes in their own
  ``transaction.atomic()`` (a savepoint inside ``person_erasing``'s transaction), so
  a failure undoes their own work only.
- Be idempotent: a signal may be delivered twice (a retry, a second code path such as
  an erasure that first cancels). The second delivery must change nothing. Check the
  present state rather than trust the arguments: a late ``registration_ended`` must not
  undo what the person did after registering again.
- Not raise to stop the action: the action has happened (or, for ``person_erasing``,
  will). Signals are sent with ``send_robust``: a receiver's exception is logged with
  its traceback (logger ``django.dispatch``) and the other receivers still run; the
  cancellation or erasure stands. For ``person_erasing`` the failed receiver's own
  savepoint is rolled back, so nothing it half did survives; what it did not release
  goes with the account's rows.
- Not write registrations' rows, and not send ``registrations`` e-mails: the service
  that acted already told the delegate. Telling *other* people (the person promoted
  on a workshop's waiting list) is the receiver's own business. A registrations
  action called with ``send_email=False`` silences its own e-mails only; the switch
  is not passed on (no caller that silences e-mail ends registrations holding places).

Subscribing (how the next apps do it)
-------------------------------------
Put the receivers in ``<app>/receivers.py``, each a thin function that takes the
arguments above (and ``**kwargs``) and calls a service; connect them in the app's
``AppConfig.ready()`` with a ``dispatch_uid`` so a second import connects nothing::

    def ready(self):
        from registrations import signals
        from visas import receivers

        signals.registration_ended.connect(receivers.registration_ended, dispatch_uid="visas.ended")

See ``sessions/apps.py`` and ``sessions/receivers.py``.
"""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

registration_ended = Signal()
registration_confirmed = Signal()
person_erasing = Signal()


def send(signal: Signal, *, sender, **arguments) -> None:
    """Send now to every receiver. A receiver that raises does not stop the others nor
    the sender: ``send_robust`` logs its exception with the traceback (logger
    ``django.dispatch``, level ERROR) and goes on."""
    signal.send_robust(sender=sender, **arguments)


def send_on_commit(signal: Signal, *, sender, **arguments) -> None:
    """Send once the current transaction commits (at once outside a transaction);
    nothing is sent if it rolls back."""
    transaction.on_commit(lambda: send(signal, sender=sender, **arguments))

