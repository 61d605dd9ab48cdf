"""The only code that writes registrations and changes their status.

Capacity guarantee: every decision that gives or frees a seat in a category runs in a
transaction that first takes a row lock on that category (``SELECT ... FOR UPDATE``
in ``_lock_category``). Two requests for the same category therefore decide one after
the other, each seeing the other's committed seats, so a category can never confirm
more people than its capacity. On SQLite the whole database is locked for writing
instead, which gives the same order. Work that does not depend on seats (the new row,
answers) is written before the lock is taken, to keep the locked stretch short.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conference import services as core_services
from conference.audit import action_log
from conference.exceptions import DomainError
from conference.i18n import as_translated
from conference.models import ActionLog, Conference, User
from conference.notify import notify
from conference.permissions import Perm, has_perm
from registrations import signals
from registrations.models import (
    Answer,
    Category,
    DelegateProfile,
    OrganizationProposal,
    PassportAccessLog,
    Registration,
    StatusChange,
)
from registrations.selectors import questions_for
from registrations.text import normalise_passport_number

log = logging.getLogger(__name__)
S = Registration.Status

ALLOWED = {
    S.SUBMITTED: {S.PENDING, S.CONFIRMED, S.WAITLISTED},
    S.PENDING: {S.CONFIRMED, S.WAITLISTED, S.REJECTED, S.CANCELLED},
    S.WAITLISTED: {S.CONFIRMED, S.OFFERED, S.REJECTED, S.CANCELLED},
    S.OFFERED: {S.CONFIRMED, S.REJECTED, S.CANCELLED},
    S.CONFIRMED: {S.REJECTED, S.CANCELLED},
    S.REJECTED: set(),
    S.CANCELLED: set(),
}

# Embassies refuse passports that expire sooner than this after the visit.
PASSPORT_MARGIN = dt.timedelta(days=183)


class RegistrationError(DomainError):
    """The registrations app's refusals (also raised by its imports and exports)."""


# --- Profiles ------------------------------------------------------------------------
PROFILE_FIELDS = DelegateProfile.EDITABLE_FIELDS


def profile_save(*, user: User, data: dict, proposal: dict | None = None) -> DelegateProfile:
    """Create or update ``user``'s profile from cleaned form data. ``proposal`` holds an
    organisation the delegate could not find (name, name_ar, kind, country, website)."""
    profile = getattr(user, "delegate_profile", None) or DelegateProfile(user=user)
    for field in PROFILE_FIELDS:
        if field in data:
            setattr(profile, field, data[field])
    if profile.passport_number:
        profile.passport_number = normalise_passport_number(profile.passport_number)
    if str(profile.country) != "IQ":
        profile.governorate = None
    profile.refresh_derived()
    # A passport number already in another profile is saved all the same, and nothing
    # tells the person typing: a refusal would let anyone test who registered. Visa
    # officers see the pair flagged (selectors.shared_passport).
    with transaction.atomic():
        if proposal:
            profile.organization = None
            profile.proposed_organization = OrganizationProposal.objects.create(proposed_by=user, **proposal)
        profile.save()
    if not user.full_name:
        # E-mails greet people by this name; a name they already chose is kept.
        core_services.account_name_set(user=user, full_name=profile.passport_name)
    return profile


def passport_expiry_state(profile: DelegateProfile | None, conference: Conference, today=None) -> str | None:
    """One of "expired", "too_soon" (embassies refuse a passport expiring less than six
    months after the visit) or None."""
    expiry = profile.passport_expiry if profile else None
    if not expiry:
        return None
    if expiry < (today or timezone.localdate()):
        return "expired"
    if expiry < conference.end_date + PASSPORT_MARGIN:
        return "too_soon"
    return None


def passport_expiry_warning(profile: DelegateProfile, conference: Conference) -> str | None:
    """The warning the delegate reads, with the date."""
    state = passport_expiry_state(profile, conference)
    if state == "expired":
        return str(
            _("Your passport has expired (on %(date)s): renew it before you ask for a visa.")
            % {"date": profile.passport_expiry.isoformat()}
        )
    if state == "too_soon":
        return str(
            _(
                "Your passport expires on %(date)s, less than six months after the conference ends. "
                "Embassies usually refuse such passports: renew it before you ask for a visa."
            )
            % {"date": profile.passport_expiry.isoformat()}
        )
    return None


def passport_expiry_staff_note(profile: DelegateProfile | None, conference: Conference) -> str | None:
    """The same warning for organizers and visa officers, without the date: organizers
    see no passport data, only that the visa may be refused."""
    state = passport_expiry_state(profile, conference)
    if state == "expired":
        return str(_("This delegate's passport has expired: a visa cannot be asked for with it."))
    if state == "too_soon":
        return str(
            _(
                "This delegate's passport expires less than six months after the conference ends: "
                "embassies usually refuse such passports."
            )
        )
    return None


def passport_data_read(
    *, viewer: User, profile: DelegateProfile, conference: Conference, context: str
) -> dict:
    """Passport fields for a visa officer, with the view logged (who, when, whose)."""
    if not has_perm(viewer, Perm.VIEW_PASSPORTS, conference):
        raise RegistrationError(_("Only visa officers see passport data."), code="forbidden", status=403)
    # Both logs are written before any passport field is read, so a page that fails
    # afterwards still leaves its trace.
    with transaction.atomic():
        PassportAccessLog.objects.create(
            viewer=viewer, subject=profile.user, conference=conference, context=context
        )
        action_log(
            actor=viewer, verb=ActionLog.Verb.PASSPORT_VIEWED, conference=conference,
            data={"context": context, "people": 1, "person": profile.user_id},
        )
    return passport_fields(profile)


def passport_fields(profile: DelegateProfile) -> dict:
    from django_countries import countries

    return {
        "nationality_name": countries.name(profile.nationality) if profile.nationality else "",
        "passport_number": profile.passport_number,
        "passport_expiry": profile.passport_expiry,
        "nationality": profile.nationality,
        "date_of_birth": profile.date_of_birth,
    }


def passport_views_log(
    *, viewer: User, conference: Conference, subject_ids: Iterable[int], context: str
) -> None:
    with transaction.atomic():
        logged = PassportAccessLog.objects.bulk_create(
            [
                PassportAccessLog(viewer=viewer, subject_id=pk, conference=conference, context=context)
                for pk in subject_ids
            ]
        )
        # One staff-action row per export; each person's own row stays above.
        action_log(
            actor=viewer, verb=ActionLog.Verb.PASSPORT_VIEWED, conference=conference,
            data={"context": context, "people": len(logged)},
        )


def proposal_resolve(*, proposal: OrganizationProposal, by: User, merge_into=None) -> OrganizationProposal:
    """Approve a proposed organisation (it joins the directory, unverified) or merge it
    into an existing one; every profile that named it now points at the result."""
    with transaction.atomic():
        proposal = OrganizationProposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.status != OrganizationProposal.Status.PENDING:
            raise RegistrationError(_("This proposal has already been handled."), code="handled", status=409)
        if merge_into is None:
            organization = core_services.organization_create(
                slug=_free_slug(proposal.name),
                name=proposal.name,
                name_ar=proposal.name_ar,
                kind=proposal.kind,
                country=proposal.country,
                website=proposal.website,
            )
            proposal.status = OrganizationProposal.Status.APPROVED
        else:
            organization = merge_into
            proposal.status = OrganizationProposal.Status.MERGED
        proposal.organization = organization
        proposal.resolved_at = timezone.now()
        proposal.save()
        DelegateProfile.objects.filter(proposed_organization=proposal).update(
            organization=organization, proposed_organization=None
        )
        Registration.objects.filter(
            user__delegate_profile__organization=organization, organization=None
        ).update(organization=organization)
    log.info("organisation proposal %s %s by %s", proposal.pk, proposal.status, by.pk)
    return proposal


def _free_slug(name: str) -> str:
    from django.utils.text import slugify

    from conference.models import Organization

    base = slugify(name)[:50] or "organisation"
    slug, n = base, 1
    while Organization.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


# --- Registering ---------------------------------------------------------------------
def category_refusal(
    category: Category, *, user: User | None = None, invite_token: str = "", now=None
) -> str | None:
    """Why ``category`` takes no registration now, or None. Shown to the delegate."""
    now = now or timezone.now()
    conference = category.conference
    if conference.status != Conference.Status.OPEN:
        return str(_("Registration for this edition is not open."))
    opens, closes = category.window()
    if opens and now < opens:
        return str(
            _("Registration in this category opens on %(date)s.") % {"date": _local(opens, conference)}
        )
    if closes and now >= closes:
        return str(
            _("Registration in this category closed on %(date)s.") % {"date": _local(closes, conference)}
        )
    if category.invite_only and invite_token != category.invite_token:
        return str(_("This category is by invitation only: use the link in your invitation."))
    return None


def _local(moment, conference: Conference) -> str:
    return timezone.localtime(moment, conference.tzinfo).strftime("%Y-%m-%d %H:%M")


def register(
    *,
    user: User,
    category: Category,
    answers: dict | None = None,
    tracks: Iterable = (),
    invite_token: str = "",
    by: User | None = None,
    invited: bool = False,
    now=None,
    send_email: bool = True,
) -> Registration:
    """Register ``user`` in ``category``. Idempotent: a person who already holds a live
    registration in the edition gets that one back (double clicks, resubmitted forms).

    Without approval the seat is decided at once (confirmed, or waitlisted when full);
    with approval the registration waits as pending. Invited people (imported by an
    organizer) skip approval and the invite check."""
    conference = category.conference
    # One query answers three questions: the profile's facts (as plain values, so no
    # passport field is decrypted), a live registration already held, and whether the
    # category asks anything at all.
    live = Registration.objects.live().filter(conference=conference, user_id=OuterRef("user_id"))
    profile = (
        DelegateProfile.objects.filter(user_id=user.pk)
        .values("organization_id", "country", "governorate_id")
        .annotate(live=Subquery(live.values("pk")[:1]), asks=Exists(questions_for(category)))
        .first()
    )
    if profile is None:
        raise RegistrationError(_("Fill in your delegate profile before you register."), code="no_profile")
    if profile["live"]:
        return Registration.objects.get(pk=profile["live"])
    if not invited:
        reason = category_refusal(category, user=user, invite_token=invite_token, now=now)
        if reason:
            raise RegistrationError(reason, code="refused", field="category")
    answers = _checked_answers(category, answers or {}, require=not invited) if profile["asks"] else {}
    actor = by or user
    position = None
    registration = Registration(
        conference=conference,
        category=category,
        user=user,
        organization_id=profile["organization_id"],
        country=profile["country"],
        governorate_id=profile["governorate_id"],
        invited=invited,
    )
    try:
        with transaction.atomic():
            if category.requires_approval and not invited:
                registration.status = S.PENDING
            else:
                # The seat is decided first and the row written with its final status,
                # so the locked stretch is: lock, one count, the inserts, commit.
                locked = _lock_category(category)
                figures = _seat_figures(locked, organization_id=profile["organization_id"])
                if locked.invite_only and not invited and figures["held"] >= locked.capacity:
                    # An invite-only list has no waiting list: a full one says so.
                    raise RegistrationError(
                        _("All invited places in this category are taken."), code="full", field="category"
                    )
                registration.status, registration.waitlist_seq = _seat_decision(locked, figures)
                if registration.status == S.WAITLISTED:
                    position = figures["waiting"] + 1
            registration.save(force_insert=True)
            history = [StatusChange(registration=registration, to_status=S.SUBMITTED, by=actor)]
            history.append(
                StatusChange(
                    registration=registration,
                    from_status=S.SUBMITTED,
                    to_status=registration.status,
                    by=actor,
                )
            )
            StatusChange.objects.bulk_create(history)
            if registration.status == S.CONFIRMED:
                _announce(registration, S.CONFIRMED, by=actor)
            if tracks:
                registration.tracks.set(tracks)
            _save_answers(registration, answers)
    except IntegrityError:
        # The one-live-registration constraint caught a concurrent duplicate.
        existing = Registration.objects.live().filter(conference=conference, user=user).first()
        if existing:
            return existing
        raise
    if send_email:
        _notify(registration, position=position)
    return registration


def _checked_answers(category: Category, answers: dict, *, require: bool) -> dict:
    """Keep only answers to this category's questions, and refuse a missing required
    one (forms check this too; the service holds the rule for every caller). People
    invited by an organizer may answer later."""
    asked = {question.pk: question for question in questions_for(category)}
    kept = {question: value for question, value in answers.items() if question.pk in asked}
    if require:
        for question in asked.values():
            if question.required and kept.get(question) in (None, "", []):
                raise RegistrationError(
                    _("“%(question)s” needs an answer.") % {"question": question.label},
                    code="answer_required",
                    field=f"q_{question.pk}",
                )
    return kept


def _save_answers(registration: Registration, answers: dict) -> None:
    rows = []
    for question, value in answers.items():
        if value in (None, "", []):
            continue
        if hasattr(value, "read"):  # an uploaded file
            answer = Answer(registration=registration, question=question, file_name=value.name[:200])
            answer.file.save(value.name, value, save=False)
            rows.append(answer)
        else:
            if isinstance(value, dt.date):
                value = value.isoformat()
            rows.append(Answer(registration=registration, question=question, value=value))
    Answer.objects.bulk_create(rows)


def _lock_category(category: Category) -> Category:
    # The capacity guarantee (see the module docstring): one decision at a time.
    # NO KEY UPDATE: new registrations' foreign-key checks (KEY SHARE) on this row do
    # not wait for it, only other seat decisions do.
    return Category.objects.select_for_update(no_key=True).get(pk=category.pk)


def _seats_held(category: Category, *, organization_id=None) -> int:
    queryset = Registration.objects.filter(category=category, status__in=Registration.SEAT_HOLDING)
    if organization_id:
        queryset = queryset.filter(organization_id=organization_id)
    return queryset.count()


def _organization_full(category: Category, registration: Registration) -> bool:
    return bool(
        category.per_organization_limit
        and registration.organization_id
        and _seats_held(category, organization_id=registration.organization_id)
        >= category.per_organization_limit
    )


def _seat_figures(category: Category, *, organization_id=None) -> dict:
    """Seats held in the category (and by one organisation) and the last waiting-list
    number, in one query. Called with the category locked, and it must stay a statement
    of its own after the lock: under READ COMMITTED each statement sees what was
    committed when it began, so only a count that starts after the lock is granted sees
    the seats the previous lock holder just took (folding it into the locking SELECT
    would read an older snapshot and oversell)."""
    seat = Q(status__in=Registration.SEAT_HOLDING)
    figures = {
        "held": Count("pk", filter=seat),
        "waiting": Count("pk", filter=Q(status=S.WAITLISTED)),
        "last": Max("waitlist_seq"),
    }
    if organization_id:
        figures["held_by_organization"] = Count("pk", filter=seat & Q(organization_id=organization_id))
    result = Registration.objects.filter(category=category).aggregate(**figures)
    result.setdefault("held_by_organization", 0)
    return result


def _seat_decision(category: Category, figures: dict) -> tuple[str, int | None]:
    organization_full = bool(
        category.per_organization_limit and figures["held_by_organization"] >= category.per_organization_limit
    )
    if figures["held"] < category.capacity and not organization_full:
        return S.CONFIRMED, None
    return S.WAITLISTED, (figures["last"] or 0) + 1


def _seat_or_waitlist(category: Category, registration: Registration, *, by, reason: str = "") -> None:
    """Called with the category locked."""
    figures = _seat_figures(category, organization_id=registration.organization_id)
    status, sequence = _seat_decision(category, figures)
    if status == S.WAITLISTED:
        registration.waitlist_seq = sequence
    _move(registration, status, by=by, reason=reason)


def _move(registration: Registration, to: str, *, by=None, reason: str = "", **fields) -> None:
    before = registration.status
    if to not in ALLOWED[before]:
        raise RegistrationError(
            _("A registration that is “%(before)s” cannot become “%(after)s”.")
            % {"before": S(before).label, "after": S(to).label},
            code="bad_transition",
        )
    registration.status = to
    if to != S.OFFERED:
        fields.setdefault("offer_expires_at", None)
    for name, value in fields.items():
        setattr(registration, name, value)
    registration.save(update_fields=["status", "waitlist_seq", "updated_at", *fields])
    StatusChange.objects.create(
        registration=registration, from_status=before, to_status=to, by=by, reason=str(reason)
    )
    # The StatusChange row is the record; the log line is for debugging only.
    log.debug("registration %s: %s -> %s by %s", registration.pk, before, to, getattr(by, "pk", None))
    _announce(registration, to, by=by, reason=reason)


def _announce(registration: Registration, to: str, *, by=None, reason: str = "") -> None:
    """Tell the apps above (registrations.signals) once the move commits. Every
    status change passes through ``_move`` or ``register``, so these are the only
    send points for an ending or a confirmation."""
    common = {
        "registration_id": registration.pk,
        "user_id": registration.user_id,
        "conference_id": registration.conference_id,
        "by_id": getattr(by, "pk", None),
    }
    if to in (S.CANCELLED, S.REJECTED):
        signals.send_on_commit(
            signals.registration_ended, sender=Registration, status=str(to), reason=str(reason), **common
        )
    elif to == S.CONFIRMED:
        signals.send_on_commit(signals.registration_confirmed, sender=Registration, **common)


def _fill_free_seats(category: Category, *, by=None, now=None) -> list[Registration]:
    """Give free seats to the waiting list, first come first served, skipping people
    whose organisation is at its limit. Called with the category locked."""
    now = now or timezone.now()
    free = category.capacity - _seats_held(category)
    promoted: list[Registration] = []
    if free <= 0:
        return promoted
    waiting = (
        Registration.objects.filter(category=category, status=S.WAITLISTED)
        .select_related("user", "conference", "category")
        .order_by("waitlist_seq", "pk")
    )
    for candidate in waiting.iterator(chunk_size=50):
        if free <= 0:
            break
        if _organization_full(category, candidate):
            continue
        if category.offer_hours:
            _move(
                candidate,
                S.OFFERED,
                by=by,
                reason=_("A seat became free."),
                offer_expires_at=now + dt.timedelta(hours=category.offer_hours),
            )
        else:
            _move(candidate, S.CONFIRMED, by=by, reason=_("A seat became free."))
        promoted.append(candidate)
        free -= 1
    return promoted


def _decide(
    registration: Registration,
    to: str,
    *,
    by,
    reason: str = "",
    expect=None,
    verb: str | None = None,
    send_email: bool = True,
) -> Registration:
    """Move one registration and refill the category if a seat was freed, under lock.

    The row is read again under the lock and ``expect`` (the statuses the action
    starts from) is checked on that fresh copy: a page loaded before another
    organizer acted must not decide from what it remembers."""
    with transaction.atomic():
        _lock_category(registration.category)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("category", "conference", "user")
            .get(pk=registration.pk)
        )
        if expect is not None and registration.status not in expect:
            raise RegistrationError(
                _("This registration changed meanwhile: it is now “%(status)s”.")
                % {"status": S(registration.status).label},
                code="changed",
                status=409,
            )
        held_seat = registration.status in Registration.SEAT_HOLDING
        before = registration.status
        if to == S.CONFIRMED and registration.status == S.PENDING:
            _seat_or_waitlist(registration.category, registration, by=by, reason=reason)
        elif to == S.CONFIRMED and registration.status != S.OFFERED:
            # Only an approval (above) or an accepted offer may take a seat here.
            raise RegistrationError(_("Only pending registrations can be approved."), code="not_pending")
        else:
            _move(registration, to, by=by, reason=reason)
        promoted = _fill_free_seats(registration.category, by=None) if held_seat else []
        if verb is not None:
            # A staff decision (``verb``); the delegate's own steps are in StatusChange only.
            action_log(
                actor=by, verb=verb, obj=registration, conference=registration.conference, reason=reason,
                data={"from": before, "to": registration.status, "promoted": len(promoted)},
                label=f"{registration.category.slug} #{registration.pk}",
            )
    if send_email:
        _notify(registration, reason=reason)
        for other in promoted:
            _notify(other)
    return registration


def approve(
    *, registration: Registration, by: User, reason: str = "", send_email: bool = True
) -> Registration:
    if registration.status != S.PENDING:
        raise RegistrationError(_("Only pending registrations can be approved."), code="not_pending")
    return _decide(
        registration, S.CONFIRMED, by=by, reason=reason, expect={S.PENDING},
        verb=ActionLog.Verb.REGISTRATION_APPROVED, send_email=send_email,
    )


def reject(*, registration: Registration, by: User, reason: str, send_email: bool = True) -> Registration:
    if not reason.strip():
        raise RegistrationError(
            _("Give a reason: the delegate reads it."), code="reason_required", field="reason"
        )
    return _decide(
        registration, S.REJECTED, by=by, reason=reason, verb=ActionLog.Verb.REGISTRATION_REJECTED,
        send_email=send_email,
    )


def cancel(
    *, registration: Registration, by: User, reason: str = "", send_email: bool = True
) -> Registration:
    # Staff cancelling someone's registration is audited; a delegate's own is not.
    staff = by is not None and by.pk != registration.user_id
    verb = ActionLog.Verb.REGISTRATION_CANCELLED if staff else None
    return _decide(registration, S.CANCELLED, by=by, reason=reason, verb=verb, send_email=send_email)


def accept_offer(
    *, registration: Registration, by: User, now=None, send_email: bool = True
) -> Registration:
    now = now or timezone.now()
    if registration.status != S.OFFERED or (
        registration.offer_expires_at and registration.offer_expires_at <= now
    ):
        raise RegistrationError(_("This offer is no longer open."), code="offer_gone")
    return _decide(registration, S.CONFIRMED, by=by, expect={S.OFFERED}, send_email=send_email)


def decide_many(
    *, registrations: Iterable[Registration], action: str, by: User, reason: str = "", send_email: bool = True
) -> dict:
    """Approve, reject or cancel several; each stands alone, so one refusal stops none."""
    done, refused = [], []
    decide = {"approve": approve, "reject": reject}.get(action, cancel)
    for registration in registrations:
        try:
            done.append(decide(registration=registration, by=by, reason=reason, send_email=send_email))
        except RegistrationError as error:
            refused.append((registration, error.message))
    return {"done": done, "refused": refused}


def expire_offers(*, now=None, send_email: bool = True) -> int:
    """Offers past their time pass to the next person (run by Celery beat)."""
    now = now or timezone.now()
    expired = list(
        Registration.objects.filter(status=S.OFFERED, offer_expires_at__lte=now).select_related("category")
    )
    for registration in expired:
        _decide(registration, S.CANCELLED, by=None, reason=_("The offer expired."), send_email=send_email)
    return len(expired)


def category_set_capacity(
    *, category: Category, capacity: int, by: User, send_email: bool = True
) -> list[Registration]:
    """Change a category's capacity; raising it promotes from the waiting list at once."""
    with transaction.atomic():
        locked = _lock_category(category)
        held = _seats_held(locked)
        if capacity < held:
            raise RegistrationError(
                _("%(held)s seats are already taken: the capacity cannot go below that.") % {"held": held},
                code="below_held",
                field="capacity",
            )
        before = locked.capacity
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
        promoted = _fill_free_seats(locked, by=by)
        action_log(
            actor=by, verb=ActionLog.Verb.CATEGORY_CAPACITY_CHANGED, obj=locked,
            conference=category.conference, label=locked.slug,
            data={"from": before, "to": capacity, "promoted": len(promoted)},
        )
    category.capacity = capacity
    if send_email:
        for registration in promoted:
            _notify(registration)
    return promoted


def category_save(*, form, conference: Conference, by: User, send_email: bool = True) -> Category:
    """Save an organizer's category form. A changed capacity goes through
    ``category_set_capacity`` so the waiting list moves at once."""
    category = form.instance
    new_capacity = form.cleaned_data["capacity"]
    if category.pk is None:
        category = form.save(commit=False)
        category.conference = conference
        category.save()
        return category
    old_capacity = Category.objects.values_list("capacity", flat=True).get(pk=category.pk)
    category = form.save(commit=False)
    category.capacity = old_capacity
    category.save()
    if new_capacity != old_capacity:
        category_set_capacity(category=category, capacity=new_capacity, by=by, send_email=send_email)
    return category


# --- Reads the services need -----------------------------------------------------------
def waitlist_position(registration: Registration) -> int | None:
    if registration.status != S.WAITLISTED or registration.waitlist_seq is None:
        return None
    return Registration.objects.filter(
        category_id=registration.category_id, status=S.WAITLISTED, waitlist_seq__lte=registration.waitlist_seq
    ).count()


# --- E-mail --------------------------------------------------------------------------
def _notify(registration: Registration, *, reason: str = "", position: int | None = None) -> None:
    """Tell the delegate their new status (conference.notify: rendered after the commit,
    in their language). Services skip this when called with ``send_email=False``."""
    user = registration.user
    if user is None:
        return
    notify(
        to=user,
        template="registration_status",
        context={
            "edition_title": as_translated(registration.conference.title),
            "category_name": as_translated(registration.category.name),
            "status": registration.status,
            "status_label": S(registration.status).label,
            # Kept lazy when it is ours ("The offer expired."): it renders in the reader's language.
            "reason": reason,
            "position": position or waitlist_position(registration),
            "offer_expires_at": registration.offer_expires_at,
            "time_zone": registration.conference.tzinfo,
        },
        links={"status_path": ("registration_status", {"edition": registration.conference.slug})},
    )


# --- The delegate's own data -----------------------------------------------------------
def personal_data_export(*, user: User) -> dict:
    """Everything we hold about ``user``, as JSON-ready data (the right of access)."""
    profile = DelegateProfile.objects.filter(user=user).select_related("organization", "governorate").first()
    data: dict = {
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": None,
        "registrations": [],
    }
    if profile:
        data["profile"] = {
            "passport_name": profile.passport_name,
            "arabic_name": profile.arabic_name,
            "badge_name": profile.badge_name,
            "organization": profile.organization.name if profile.organization else None,
            "position": profile.position,
            "country": str(profile.country),
            "governorate": profile.governorate.code if profile.governorate else None,
            "languages": profile.languages,
            "interpretation_needed": profile.interpretation_needed,
            "accessibility_needs": profile.accessibility_needs,
            "dietary_needs": profile.dietary_needs,
            "phone": profile.phone,
            "gender": profile.gender,
            "gender_self_description": profile.gender_self_description,
            "passport_number": profile.passport_number,
            "passport_expiry": profile.passport_expiry.isoformat() if profile.passport_expiry else None,
            "nationality": profile.nationality,
            "date_of_birth": profile.date_of_birth.isoformat() if profile.date_of_birth else None,
            "at_risk": profile.at_risk,
            "public_listing": profile.public_listing,
        }
        data["passport_views"] = [
            {"at": entry.at.isoformat(), "context": entry.context}
            for entry in PassportAccessLog.objects.filter(subject=user)
        ]
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("conference", "category")
        .prefetch_related("changes", "answers__question", "tracks")
    )
    for registration in registrations:
        data["registrations"].append(
            {
                "edition": registration.conference.slug,
                "category": registration.category.slug,
                "status": registration.status,
                "tracks": [track.slug for track in registration.tracks.all()],
                "answers": [
                    {
                        "question": str(answer.question.label),
                        "value": answer.value,
                        "file": answer.file_name or None,
                    }
                    for answer in registration.answers.all()
                ],
                "history": [
                    {
                        "from": change.from_status,
                        "to": change.to_status,
                        "at": change.at.isoformat(),
                        "reason": change.reason,
                    }
                    for change in registration.changes.all()
                ],
            }
        )
    return data


def account_delete(*, user: User, send_email: bool = True) -> None:
    """Erase a person: profile, answers, files, sent e-mails and the account. Their
    registrations stay without a name so the edition's counts stay true; a live one is
    cancelled first so its seat goes to the waiting list."""
    for registration in Registration.objects.live().filter(user=user).select_related("category"):
        # People promoted to the seat are told. Inside a caller's transaction the
        # leaving person's own e-mail is dropped: notify skips an account erased by then.
        _decide(
            registration, S.CANCELLED, by=None, reason=_("The delegate deleted their account."),
            send_email=send_email,
        )
    with transaction.atomic():
        # Before any row goes: the programme frees workshop places (promoting the line)
        # that the cascade below would otherwise delete silently.
        signals.send(signals.person_erasing, sender=User, user_id=user.pk)
        for answer in Answer.objects.filter(registration__user=user).exclude(file=""):
            answer.file.delete(save=False)
        Answer.objects.filter(registration__user=user).delete()
        StatusChange.objects.filter(registration__user=user).update(reason="")
        Registration.objects.filter(user=user).update(user=None)
        core_services.outgoing_email_forget(address=user.email)
        DelegateProfile.objects.filter(user=user).delete()
        user.delete()
    log.info("account deleted: %s", user.pk)
