"""Admin for the platform's superusers. The programme is run on the organizer pages
(where conflicts are checked and e-mails go out), so proposals, schedules and sign-ups
are read-only here; rooms, days and criteria may be corrected directly."""

from django.contrib import admin

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


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conference", "capacity", "interpretation_booth", "step_free", "zone", "order"]
    list_filter = ["conference", "interpretation_booth"]


@admin.register(ConferenceDay)
class ConferenceDayAdmin(admin.ModelAdmin):
    list_display = ["date", "conference", "starts_at", "ends_at"]
    list_filter = ["conference"]


@admin.register(CallForSessions)
class CallForSessionsAdmin(admin.ModelAdmin):
    list_display = ["conference", "opens_at", "closes_at"]


@admin.register(ReviewCriterion)
class ReviewCriterionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conference", "max_score", "weight", "order"]
    list_filter = ["conference"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


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
