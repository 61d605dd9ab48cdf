"""The one writer of the staff audit log (``conference.models.ActionLog``).

Contract for every app: a service that carries out a staff action calls
``action_log(...)`` inside the same ``transaction.atomic`` block as the change, so a
rolled-back action leaves no row and a committed one always has its row. The verb comes
from ``ActionLog.Verb`` (the one documented list: add a verb there, with its group
below, before using it). ``data`` holds a few before/after values as JSON; it must never
hold passport numbers, birth dates or anything else from a passport: such keys are
refused here. ``label`` is a short non-personal name for the object (a slug, "#42"):
never a person's name, because a row outlives its account.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from conference.models import ActionLog, Conference, TeamMember, User

Verb = ActionLog.Verb

# The page's "kind of action" filter: a verb belongs to the group named by the part
# before its dot.
VERB_GROUPS = {
    "team": _("Team roles"),
    "registration": _("Registration decisions"),
    "category": _("Category capacity"),
    "schedule": _("Schedule"),
    "workshop": _("Sign-up places"),
    "passport": _("Passport views"),
}

# Keys (at any depth of ``data``) that would put passport data into the log.
FORBIDDEN_KEYS = frozenset(
    {"passport", "passport_number", "passport_expiry", "date_of_birth", "birth_date", "nationality"}
)
MAX_REASON = 2000


def action_log(
    *,
    actor: User | None,
    verb: str,
    obj: models.Model | None = None,
    conference: Conference | None = None,
    reason: str = "",
    data: dict | None = None,
    label: str = "",
) -> ActionLog:
    """Append one row. Call it inside the action's transaction (see the module doc).
    ``actor`` None means the platform acted on its own (a scheduled task)."""
    if verb not in Verb.values:
        raise ValueError(f"unknown audit verb {verb!r}: add it to ActionLog.Verb first")
    data = dict(data or {})
    _refuse_passport_data(data)
    entry = ActionLog(
        actor=actor,
        actor_label=(actor.get_full_name()[:200] if actor is not None else ""),
        verb=verb,
        conference=conference,
        reason=str(reason or "")[:MAX_REASON],
        data=data,
    )
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj, for_concrete_model=False)
        entry.object_id = obj.pk
        entry.object_label = (label or f"#{obj.pk}")[:120]
    entry.save(force_insert=True)
    return entry


def _refuse_passport_data(value) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            if str(key).lower() in FORBIDDEN_KEYS:
                raise ValueError(f"the audit log never holds passport data ({key!r})")
            _refuse_passport_data(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            _refuse_passport_data(inner)


# --- Reading, for the organizers' page (conference.views_log) ---------------------------
# Shown in the reader's language; keys of ``data`` without a label are shown as they are.
DATA_LABELS = {
    "from": _("before"),
    "to": _("after"),
    "promoted": _("moved up from the waiting list"),
    "role": _("role"),
    "person": _("person"),
    "requested_by": _("asked by"),
    "request": _("request"),
    "context": _("where"),
    "people": _("people"),
    "version": _("release"),
    "added": _("added"),
    "moved": _("moved"),
    "cancelled": _("cancelled"),
    "room": _("room"),
    "start": _("start"),
}
PEOPLE_KEYS = ("person", "requested_by")
# What the page calls the kinds of object (by "app_label.model", so the core names the
# feature apps' models without importing them); others fall back to their verbose name.
OBJECT_LABELS = {
    "conference.teammember": _("team role"),
    "conference.rolegrantevent": _("role request"),
    "conference.user": _("person"),
    "registrations.registration": _("registration"),
    "registrations.category": _("registration category"),
    "programme.proposal": _("session"),
    "programme.schedule": _("schedule release"),
}


def object_type_label(kind: ContentType | None) -> str:
    if kind is None:
        return ""
    label = OBJECT_LABELS.get(f"{kind.app_label}.{kind.model}")
    if label is not None:
        return str(label)
    model = kind.model_class()
    return str(model._meta.verbose_name) if model is not None else kind.model


def action_log_entries(
    *, conference: Conference, group: str = "", actor_id: int | None = None,
    content_type_id: int | None = None, since=None, until=None,
):
    """The edition's rows, newest first, filtered; ``since``/``until`` are aware datetimes."""
    rows = ActionLog.objects.filter(conference=conference).select_related("actor", "content_type")
    if group:
        rows = rows.filter(verb__startswith=f"{group}.")
    if actor_id:
        rows = rows.filter(actor_id=actor_id)
    if content_type_id:
        rows = rows.filter(content_type_id=content_type_id)
    if since is not None:
        rows = rows.filter(at__gte=since)
    if until is not None:
        rows = rows.filter(at__lt=until)
    return rows.order_by("-at", "-pk")


def action_log_actors(*, conference: Conference) -> list[tuple[int, str]]:
    """People who acted in the edition and still have an account, for the filter."""
    rows = (
        ActionLog.objects.filter(conference=conference, actor__isnull=False)
        .order_by()
        .values_list("actor_id", "actor__full_name", "actor__email")
        .distinct()
    )
    return sorted(((pk, name or email) for pk, name, email in rows), key=lambda item: item[1].lower())


def action_log_object_types(*, conference: Conference) -> list[ContentType]:
    used = ActionLog.objects.filter(conference=conference).order_by().values("content_type")
    return list(ContentType.objects.filter(pk__in=used))


def action_log_describe(entries) -> list[dict]:
    """Each row with what the page shows: who, what, on what, and the data as
    (label, value) pairs. One query names every person the rows mention."""
    entries = list(entries)
    people_ids = {
        entry.data[key] for entry in entries for key in PEOPLE_KEYS if isinstance(entry.data.get(key), int)
    }
    names = {}
    if people_ids:
        found = User.objects.filter(pk__in=people_ids).values_list("pk", "full_name", "email")
        names = {pk: name or email for pk, name, email in found}
    roles = dict(TeamMember.Role.choices)
    described = []
    for entry in entries:
        details = []
        for key, value in entry.data.items():
            if key in PEOPLE_KEYS:
                shown = (names.get(value) or _("erased account")) if value else "—"
            elif key == "role":
                shown = roles.get(value, value)
            else:
                shown = _plain(value)
            details.append((DATA_LABELS.get(key, key), shown))
        described.append(
            {
                "entry": entry,
                "actor": _actor_name(entry),
                "object_type": object_type_label(entry.content_type),
                "details": details,
            }
        )
    return described


def _actor_name(entry: ActionLog) -> str:
    if entry.actor is not None:
        return entry.actor.get_full_name()
    if entry.actor_label == ActionLog.ERASED:
        return str(_("erased account"))
    return entry.actor_label or str(_("the platform"))


def _plain(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):
        return ", ".join(f"{DATA_LABELS.get(key, key)} {_plain(inner)}" for key, inner in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_plain(inner) for inner in value)
    return str(value)
