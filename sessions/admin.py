"""Admin for the platform's superusers. The programme is run on the organizer pages
(where conflicts are checked and e-mails go out), so proposals, schedules and sign-ups
are read-only here. Rooms, days and the call are read-only too: their services
(sessions.venue) refuse a day that shrinks past a placed session or a room still in
use, so each row links to the programme settings page, which saves through them.
Review criteria may be corrected directly."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from sessions.models import (
    Attendance,
    CallForSessions,
    ConferenceDay,
    Proposal,
    ReviewCriterion,
    Room,
    Schedule,
    WorkshopSignup,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SettingsAdmin(ReadOnlyAdmin):
    """Shown, never changed nor deleted here: the settings page saves through the
    services, which keep placed sessions inside their rooms and hours."""

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Change"))
    def settings_page(self, obj):
        url = reverse("programme_settings", kwargs={"edition": obj.conference.slug})
        return format_html('<a href="{}">{}</a>', url, _("On the programme settings page"))


@admin.register(Room)
class RoomAdmin(SettingsAdmin):
    list_display = [
        "__str__", "conference", "capacity", "interpretation_booth", "step_free", "zone", "order",
        "settings_page",
    ]
    list_filter = ["conference", "interpretation_booth"]
    readonly_fields = ["settings_page"]


@admin.register(ConferenceDay)
class ConferenceDayAdmin(SettingsAdmin):
    list_display = ["date", "conference", "starts_at", "ends_at", "settings_page"]
    list_filter = ["conference"]
    readonly_fields = ["settings_page"]


@admin.register(CallForSessions)
class CallForSessionsAdmin(SettingsAdmin):
    list_display = ["conference", "opens_at", "closes_at", "settings_page"]
    readonly_fields = ["settings_page"]


@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conference", "max_score", "weight", "order"]
    list_filter = ["conference"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ["code", "__str__", "conference", "format", "track", "state"]
    list_filter = ["conference", "state", "format", "track"]
    search_fields = ["code"]


@admin.register(Schedule)
class ScheduleAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "conference", "version", "published_at"]
    list_filter = ["conference"]


@admin.register(WorkshopSignup)
class WorkshopSignupAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "status", "waitlist_seq", "created_at"]
    list_filter = ["status"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["proposal", "room", "first_seen_at", "last_seen_at"]
