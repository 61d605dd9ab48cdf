"""The call for sessions and the programme's settings: the only writers of proposals,
speakers, availability, rooms, days and the call itself.

Input that does not pass is a ``django.core.exceptions.ValidationError`` whose messages
are keyed by field (``NON_FIELD_ERRORS`` for the whole request; ``speakers`` for the
list, and ``speakers.<n>.<field>`` for the n-th speaker), so a form can show each message
by the input it is about and keep everything typed. A rule that refuses the action
itself (the call is closed, not the proposer, ...) is a ``ProgrammeError`` with a code.

Who may speak: the proposer naming their own address is linked at once. Every other
speaker, registered or not, is invited by e-mail and linked when that person confirms,
and the proposer sees "invited" in both cases until then: naming an address must not
tell anyone whether its owner registered. "A speaker who is not a delegate" is refused
at confirmation, not at proposing: the invitee can still register and then confirm
(``confirm_speaker`` refuses until they hold a live registration).
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from conference.i18n import as_translated, language_codes
from conference.models import Conference, Organization, Track, User
from conference.notify import notify
from registrations import people
from sessions.exceptions import ProgrammeError
from sessions.models import (
    MAX_DURATION_MINUTES,
    Availability,
    CallForSessions,
    ConferenceDay,
    Proposal,
    Speaker,
)

MIN_DURATION_MINUTES = 15
SIGNUP_FORMATS = (Proposal.Format.WORKSHOP, Proposal.Format.TRAINING)
Window = tuple[dt.datetime, dt.datetime]
DASH = "\u2013"
NB_HYPHEN = "\u2011"
# A speaker of a proposal in one of these states has nothing left to answer.
CLOSED_STATES = (Proposal.State.WITHDRAWN, Proposal.State.REJECTED, Proposal.State.CANCELLED)


# --- Small readers the views share ---------------------------------------------------
def is_delegate(user, conference: Conference) -> bool:
    """The rule is registrations.people.is_delegate; the views ask through this module."""
    return people.is_delegate(user, conference)


def open_invitations(user, conference: Conference) -> list[Speaker]:
    """Invitations to speak sent to the address ``user`` signed in with, not answered
    yet, on proposals still in play: their page offers to confirm them."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Speaker.objects.filter(
            proposal__conference=conference, email__iexact=user.email, confirmed_at__isnull=True
        )
        .exclude(proposal__state__in=CLOSED_STATES)
        .select_related("proposal__track", "proposal__proposer")
        .order_by("proposal__created_at", "pk")
    )


def call_of(conference: Conference) -> CallForSessions | None:
    return CallForSessions.objects.filter(conference=conference).first()


def call_is_open(conference: Conference, now: dt.datetime | None = None) -> bool:
    call = call_of(conference)
    return bool(call and call.is_open(now))


def can_edit(
    proposal: Proposal, user, now: dt.datetime | None = None, *, call_open: bool | None = None
) -> bool:
    """``call_open`` lets a list ask about the call once for all its proposals."""
    if call_open is None:
        call_open = call_is_open(proposal.conference, now)
    return (
        proposal.proposer_id == getattr(user, "pk", None)
        and proposal.state == Proposal.State.SUBMITTED
        and call_open
    )


def can_withdraw(proposal: Proposal, user) -> bool:
    return proposal.proposer_id == getattr(user, "pk", None) and proposal.state == Proposal.State.SUBMITTED


def ltr(text: str) -> str:
    """Dates and times inside a message that may be Arabic or Sorani: isolated left to
    right (so the bidi algorithm does not reorder their parts) and with non-breaking
    hyphens (so a phone does not wrap 2027-04-13 after a hyphen). parse_windows reads
    such text back if someone pastes it."""
    return "\u2066" + text.replace("-", NB_HYPHEN) + "\u2069"


def format_window(window: Window, tz: ZoneInfo) -> str:
    start, end = window[0].astimezone(tz), window[1].astimezone(tz)
    if start.date() == end.date():
        return ltr(f"{start:%Y-%m-%d %H:%M}{DASH}{end:%H:%M}")
    return ltr(f"{start:%Y-%m-%d %H:%M}{DASH}{end:%Y-%m-%d %H:%M}")


def hours_text(day: ConferenceDay) -> str:
    return ltr(f"{day.starts_at:%H:%M}{DASH}{day.ends_at:%H:%M}")


def _day_minutes(day: ConferenceDay) -> int:
    start = dt.datetime.combine(day.date, day.starts_at)
    end = dt.datetime.combine(day.date, day.ends_at)
    return int((end - start).total_seconds() // 60)


# --- Checking a proposal ---------------------------------------------------------------
def clean_text(value, *, field: str, max_length: int | None, errors: dict) -> dict:
    text = as_translated(value)
    unknown = set(text) - set(language_codes())
    cleaned = {code: value.strip() for code, value in text.items() if value and value.strip()}
    if unknown:
        errors.setdefault(field, []).append(
            _("Unknown language code: %(codes)s") % {"codes": ", ".join(sorted(unknown))}
        )
    elif not cleaned:
        errors.setdefault(field, []).append(
            _("Write this in at least one language: Arabic, Sorani or English.")
        )
    elif max_length and any(len(v) > max_length for v in cleaned.values()):
        errors.setdefault(field, []).append(
            _("Keep each language under %(limit)d characters.") % {"limit": max_length}
        )
    return cleaned


def non_empty(value) -> dict:
    return {code: text.strip() for code, text in as_translated(value).items() if text and text.strip()}


def int_or_none(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _clean_duration(value, days: list[ConferenceDay], errors: dict) -> int | None:
    duration = int_or_none(value)
    if duration is None:
        errors.setdefault("duration", []).append(_("Give the duration in minutes."))
    elif duration < MIN_DURATION_MINUTES:
        errors.setdefault("duration", []).append(_("A session lasts at least 15 minutes."))
    elif duration > MAX_DURATION_MINUTES:
        errors.setdefault("duration", []).append(
            _("A session cannot last longer than a day (%(max)d minutes); you asked for %(asked)d.")
            % {"max": MAX_DURATION_MINUTES, "asked": duration}
        )
    elif days:
        longest = max(days, key=_day_minutes)
        if duration > _day_minutes(longest):
            errors.setdefault("duration", []).append(
                _(
                    "A session must fit in one conference day: the longest day has %(minutes)d minutes "
                    "(%(hours)s on %(date)s); you asked for %(asked)d."
                )
                % {
                    "minutes": _day_minutes(longest),
                    "hours": hours_text(longest),
                    "date": ltr(longest.date.isoformat()),
                    "asked": duration,
                }
            )
    return duration


def _clean_data(conference: Conference, data: dict, days: list[ConferenceDay]) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    cleaned: dict = {
        "title": clean_text(data.get("title"), field="title", max_length=200, errors=errors),
        "abstract": clean_text(data.get("abstract"), field="abstract", max_length=None, errors=errors),
    }
    fmt = data.get("format")
    if fmt not in Proposal.Format.values:
        errors.setdefault("format", []).append(_("Choose the format of the session."))
    cleaned["format"] = fmt

    track = data.get("track")
    if track is not None and not isinstance(track, Track):
        track = Track.objects.filter(pk=int_or_none(track)).first()
    if track is None:
        errors.setdefault("track", []).append(_("Choose one of the tracks."))
    cleaned["track"] = track

    languages = [code for code in language_codes() if code in (data.get("languages") or [])]
    stray = set(data.get("languages") or []) - set(language_codes())
    if not languages or stray:
        errors.setdefault("languages", []).append(
            _("Choose the language or languages spoken: Arabic, Sorani, English.")
        )
    cleaned["languages"] = languages
    cleaned["interpretation_wanted"] = bool(data.get("interpretation_wanted"))
    cleaned["duration"] = _clean_duration(data.get("duration"), days, errors)

    audience = int_or_none(data.get("expected_audience") or 0)
    if audience is None or audience < 0:
        errors.setdefault("expected_audience", []).append(
            _("Give the expected audience as a number of people.")
        )
    cleaned["expected_audience"] = audience or 0

    places = int_or_none(data.get("signup_capacity"))
    if data.get("signup_capacity") not in (None, "") and (places is None or places < 1):
        errors.setdefault("signup_capacity", []).append(
            _("Give the number of places as a whole number above 0.")
        )
    elif places is not None and fmt in Proposal.Format.values and fmt not in SIGNUP_FORMATS:
        errors.setdefault("signup_capacity", []).append(
            _("Only workshops and trainings take sign-ups: leave the places empty for this format.")
        )
    cleaned["signup_capacity"] = places
    cleaned["notes"] = (data.get("notes") or "").strip()

    organization = data.get("organization")
    if organization is not None and not isinstance(organization, Organization):
        organization = Organization.objects.filter(pk=int_or_none(organization)).first()
    cleaned["organization"] = organization
    return cleaned, errors


def _clean_windows(
    windows, *, key: str, email: str, conference: Conference, days: list[ConferenceDay], errors: dict
) -> list[Window]:
    tz = ZoneInfo(conference.time_zone)
    by_date = {day.date: day for day in days}
    cleaned: list[Window] = []
    for start, end in windows or []:
        if timezone.is_naive(start):
            start = start.replace(tzinfo=tz)
        if timezone.is_naive(end):
            end = end.replace(tzinfo=tz)
        shown = format_window((start, end), tz)
        if end <= start:
            errors.setdefault(key, []).append(
                _("%(window)s: a window must end after it starts.") % {"window": shown}
            )
            continue
        day = by_date.get(start.astimezone(tz).date())
        if day is None:
            errors.setdefault(key, []).append(
                _("%(window)s is not on a day of the conference (%(days)s).")
                % {"window": shown, "days": ", ".join(ltr(d.date.isoformat()) for d in days) or "—"}
            )
            continue
        first, last = day.bounds(tz)
        if start < first or end > last:
            errors.setdefault(key, []).append(
                _("%(window)s is outside that day's conference hours (%(hours)s).")
                % {"window": shown, "hours": hours_text(day)}
            )
            continue
        cleaned.append((start, end))
    cleaned.sort()
    for before, after in itertools.pairwise(cleaned):
        if after[0] < before[1]:
            errors.setdefault(key, []).append(
                _(
                    "The availability windows of %(email)s overlap: %(first)s and %(second)s. "
                    "Merge them into one."
                )
                % {"email": email, "first": format_window(before, tz), "second": format_window(after, tz)}
            )
    return cleaned


def _clean_speakers(conference: Conference, speakers, days: list[ConferenceDay], errors: dict) -> list[dict]:
    cleaned: list[dict] = []
    seen: set[str] = set()
    for index, speaker in enumerate(speakers or []):
        email = (speaker.get("email") or "").strip().lower()
        key = f"speakers.{index}"
        try:
            validate_email(email)
        except ValidationError:
            errors.setdefault(f"{key}.email", []).append(_("Enter a valid e-mail address."))
            continue
        if email in seen:
            errors.setdefault(f"{key}.email", []).append(_("%(email)s is listed twice.") % {"email": email})
            continue
        seen.add(email)
        role = speaker.get("role") or Speaker.Role.SPEAKER
        if role not in Speaker.Role.values:
            errors.setdefault(f"{key}.role", []).append(_("Choose the speaker's role."))
        windows = _clean_windows(
            speaker.get("availability"),
            key=f"{key}.availability",
            email=email,
            conference=conference,
            days=days,
            errors=errors,
        )
        cleaned.append({"email": email, "role": role, "availability": windows, "order": index})
    if not speakers:
        errors.setdefault("speakers", []).append(_("Name at least one speaker (you may name yourself)."))
    return cleaned


def _check(conference: Conference, data: dict, speakers) -> tuple[dict, list[dict]]:
    days = list(ConferenceDay.objects.filter(conference=conference))
    cleaned, errors = _clean_data(conference, data, days)
    people = _clean_speakers(conference, speakers, days, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned, people


def _accounts_by_email(emails: list[str]) -> dict[str, User]:
    if not emails:
        return {}
    query = Q()
    for email in emails:
        query |= Q(email__iexact=email)
    return {user.email.lower(): user for user in User.objects.filter(query)}


def refuse(message: str, field: str | None = None, code: str = "refused"):
    raise ProgrammeError(message, code=code, field=field)


# --- E-mails ---------------------------------------------------------------------------
def _send_invite(speaker: Speaker, proposal: Proposal, proposer: User | None, account: User | None) -> None:
    language = (account.preferred_language if account else None) or (
        proposer.preferred_language if proposer else None
    )
    # To the address the proposer typed, even when an account has it: the invitation
    # is what ties the two.
    notify(
        to=speaker.email,
        template="programme_speaker_invite",
        language=language,
        context={
            "proposal_title": as_translated(proposal.title),
            "edition_title": as_translated(proposal.conference.title),
            "proposer_name": proposer.get_full_name() if proposer else "",
            "role": speaker.role,
            "has_account": account is not None,
        },
        links={"link_path": (
            "cfp_speaker_invite", {"edition": proposal.conference.slug, "token": speaker.invite_token}
        )},
    )


def _send_received(proposal: Proposal, proposer: User, *, updated: bool) -> None:
    notify(
        to=proposer,
        template="programme_proposal_received",
        context={
            "proposal_title": as_translated(proposal.title),
            "edition_title": as_translated(proposal.conference.title),
            "code": proposal.code,
            "updated": updated,
            "closes_at": _closes_text(proposal.conference, proposer.preferred_language),
        },
        links={"link_path": ("cfp_home", {"edition": proposal.conference.slug})},
    )


def _closes_text(conference: Conference, language: str) -> str:
    call = call_of(conference)
    if call is None or call.closes_at is None:
        return ""
    with translation.override(language):
        return formats.date_format(call.closes_at.astimezone(ZoneInfo(conference.time_zone)), "j F Y H:i")


# --- Proposals -------------------------------------------------------------------------
def _write_speakers(
    proposal: Proposal, people: list[dict], by: User, now: dt.datetime
) -> list[tuple[Speaker, User | None]]:
    """Create, update and remove the proposal's speakers to match ``people``. Returns
    the new invitees (with their account, if any, for the e-mail's language). Only
    ``by`` naming their own address is confirmed here; see the module docstring.
    Caller holds the transaction."""
    emails = [person["email"] for person in people]
    accounts = _accounts_by_email(emails)
    existing = {speaker.email.lower(): speaker for speaker in proposal.speakers.all()}
    proposal.speakers.exclude(email__in=emails).delete()
    invites = []
    for person in people:
        speaker = existing.get(person["email"])
        if speaker is None:
            is_self = person["email"] == by.email.lower()
            speaker = Speaker.objects.create(
                proposal=proposal,
                email=person["email"],
                role=person["role"],
                order=person["order"],
                user=by if is_self else None,
                confirmed_at=now if is_self else None,
            )
            if not is_self:
                invites.append((speaker, accounts.get(person["email"])))
        else:
            speaker.role, speaker.order = person["role"], person["order"]
            speaker.save(update_fields=["role", "order"])
            speaker.availability.all().delete()
        Availability.objects.bulk_create(
            Availability(speaker=speaker, starts_at=start, ends_at=end)
            for start, end in person["availability"]
        )
    return invites


def submit_proposal(
    *,
    conference: Conference,
    proposer: User,
    data: dict,
    speakers: list[dict],
    now: dt.datetime | None = None,
) -> Proposal:
    """A delegate of the edition proposes a session while the call is open. Every
    speaker but the proposer gets an invitation to confirm."""
    now = now or timezone.now()
    if not call_is_open(conference, now):
        refuse(_("The call for sessions is closed: proposals are not accepted now."), code="closed")
    if not is_delegate(proposer, conference):
        refuse(
            _("Only delegates of this edition can propose sessions: register for the conference first."),
            code="not_delegate",
        )
    cleaned, people = _check(conference, data, speakers)
    if cleaned["organization"] is None:
        profile = getattr(proposer, "delegate_profile", None)
        cleaned["organization"] = profile.organization if profile else None
    if cleaned["organization"] is None:
        refuse(
            _("Choose the organisation you propose this session for."), field="organization", code="no_org"
        )
    with transaction.atomic():
        proposal = Proposal.objects.create(
            conference=conference, proposer=proposer, created_at=now, **cleaned
        )
        invites = _write_speakers(proposal, people, proposer, now)
        for speaker, account in invites:
            _send_invite(speaker, proposal, proposer, account)
        _send_received(proposal, proposer, updated=False)
    return proposal


def update_proposal(
    *, proposal: Proposal, by: User, data: dict, speakers: list[dict], now: dt.datetime | None = None
) -> Proposal:
    """The proposer changes a submitted proposal while the call is open. Speakers kept
    (by address) keep their confirmation; new ones are invited as at submission;
    removed ones are dropped."""
    now = now or timezone.now()
    if proposal.proposer_id != by.pk:
        refuse(_("Only the person who proposed this session can change it."), code="not_proposer")
    if proposal.state != Proposal.State.SUBMITTED:
        refuse(
            _("This proposal is %(state)s: it can no longer be changed.")
            % {"state": proposal.get_state_display().lower()},
            code="not_submitted",
        )
    if not call_is_open(proposal.conference, now):
        refuse(_("The call for sessions has closed: proposals can no longer be changed."), code="closed")
    cleaned, people = _check(proposal.conference, data, speakers)
    if cleaned["organization"] is None:
        cleaned["organization"] = proposal.organization
    with transaction.atomic():
        locked = (
            Proposal.objects.select_for_update(no_key=True, of=("self",))
            .select_related("conference")
            .get(pk=proposal.pk)
        )
        if locked.state != Proposal.State.SUBMITTED:
            refuse(_("This proposal can no longer be changed."), code="not_submitted")
        for field, value in cleaned.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*cleaned, "updated_at"])
        invites = _write_speakers(locked, people, by, now)
        for speaker, account in invites:
            _send_invite(speaker, locked, by, account)
        _send_received(locked, by, updated=True)
    return locked


def withdraw_proposal(*, proposal: Proposal, by: User) -> Proposal:
    """The proposer withdraws, at any time before the organizers decide."""
    if proposal.proposer_id != by.pk:
        refuse(_("Only the person who proposed this session can withdraw it."), code="not_proposer")
    with transaction.atomic():
        locked = Proposal.objects.select_for_update(no_key=True).get(pk=proposal.pk)
        if locked.state != Proposal.State.SUBMITTED:
            refuse(
                _("This proposal is %(state)s: it can no longer be withdrawn.")
                % {"state": locked.get_state_display().lower()},
                code="not_submitted",
            )
        locked.state = Proposal.State.WITHDRAWN
        locked.save(update_fields=["state", "updated_at"])
    return locked


def _invitation(token: str, user: User) -> Speaker:
    speaker = Speaker.objects.select_related("proposal__conference").filter(invite_token=token or "").first()
    if speaker is None:
        refuse(
            _("This invitation link is not valid: ask the proposer to check your address."), code="no_invite"
        )
    if speaker.proposal.state in CLOSED_STATES:
        refuse(
            _("This session is %(state)s: there is nothing to confirm.")
            % {"state": speaker.proposal.get_state_display().lower()},
            code="closed_proposal",
        )
    if user.email.lower() != speaker.email.lower():
        refuse(
            _("This invitation was sent to %(email)s: sign in with that address to answer it.")
            % {"email": speaker.email},
            code="other_address",
        )
    return speaker


def confirm_speaker(*, token: str, user: User, now: dt.datetime | None = None) -> Speaker:
    """The invitee confirms. They must be signed in with the invited address and be a
    delegate of the edition (see the module docstring). Confirming twice is harmless."""
    speaker = _invitation(token, user)
    if not is_delegate(user, speaker.proposal.conference):
        refuse(
            _(
                "Speakers must be delegates of the conference. Register for this edition first, "
                "then open this invitation again to confirm."
            ),
            code="not_delegate",
        )
    if speaker.confirmed_at is not None and speaker.user_id == user.pk:
        return speaker
    speaker.user = user
    speaker.confirmed_at = now or timezone.now()
    speaker.save(update_fields=["user", "confirmed_at"])
    return speaker


def decline_speaker(*, token: str, user: User) -> None:
    """The invitee declines: they are taken off the proposal (with their availability);
    the proposer sees the speaker gone from their list."""
    speaker = _invitation(token, user)
    speaker.delete()


WINDOW_LINE = re.compile(
    r"^(?P<date>\d{4}-\d{1,2}-\d{1,2})\s+(?P<start>\d{1,2}[:.]\d{2})\s*[-\u2013\u2014]\s*(?P<end>\d{1,2}[:.]\d{2})$"
)
# Phones in Arabic and Sorani often type Eastern Arabic or Persian digits; text pasted
# from one of our messages carries ltr()'s marks.
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹\u2011", "01234567890123456789-", "\u2066\u2069\u200e\u200f")


def parse_windows(text: str, tz: ZoneInfo) -> tuple[list[Window], list[str]]:
    """Availability typed as one window per line, ``2027-04-13 09:00-12:30``. Returns
    the windows and a translated message for each line that could not be read."""
    windows: list[Window] = []
    problems: list[str] = []
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = " ".join(raw.translate(DIGITS).split())
        if not line:
            continue
        match = WINDOW_LINE.match(line)
        try:
            if match is None:
                raise ValueError
            date = dt.date.fromisoformat("-".join(part.zfill(2) for part in match["date"].split("-")))
            start = dt.time(*map(int, re.split(r"[:.]", match["start"])))
            end = dt.time(*map(int, re.split(r"[:.]", match["end"])))
        except ValueError:
            problems.append(
                _("Line %(number)d (“%(line)s”): write a window as 2027-04-13 09:00-12:30.")
                % {"number": number, "line": raw.strip()}
            )
            continue
        windows.append(
            (dt.datetime.combine(date, start, tzinfo=tz), dt.datetime.combine(date, end, tzinfo=tz))
        )
    return windows, problems
