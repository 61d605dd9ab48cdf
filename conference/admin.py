from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV

from conference import services
from conference.models import (
    Conference,
    Governorate,
    Organization,
    OutgoingEmail,
    TeamMember,
    Track,
    User,
)
from conference.resources import OrganizationResource, OrganizationWorkbook


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "preferred_language", "is_staff", "is_active"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_staff", "is_superuser", "is_active", "preferred_language"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["full_name", "preferred_language"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class TeamMemberInline(admin.TabularInline):
    """Shown, never changed here: roles are given on the edition's team page, where the
    passport role needs a second person, every change is logged and e-mailed."""

    model = TeamMember
    fk_name = "conference"
    extra = 0
    fields = readonly_fields = ["user", "role", "added_at", "added_by"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Conference)
class ConferenceAdmin(admin.ModelAdmin):
    list_display = ["slug", "__str__", "start_date", "end_date", "status", "is_current"]
    list_filter = ["status"]
    inlines = [TeamMemberInline]
    actions = ["make_current"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The first edition ever created becomes current, so the home page has one.
        if not Conference.objects.filter(is_current=True).exists():
            services.conference_make_current(conference=obj)

    @admin.action(description=_("Make this the current edition"))
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one edition."), level="error")
            return
        services.conference_make_current(conference=queryset.get())


@admin.register(Organization)
class OrganizationAdmin(ImportExportModelAdmin):
    resource_classes = [OrganizationResource]
    # CSV carries the codes; XLSX adds a sheet for people before them.
    formats = [CSV, OrganizationWorkbook]
    list_display = ["name", "name_ar", "kind", "country", "governorate", "verified"]
    list_filter = ["kind", "verified", "governorate", "tracks"]
    search_fields = ["name", "name_ar", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["tracks"]


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["order", "slug", "__str__"]


@admin.register(Governorate)
class GovernorateAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "region"]


@admin.register(OutgoingEmail)
class OutgoingEmailAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "language", "status", "attempts"]
    list_filter = ["status", "kind", "language"]
    readonly_fields = [f.name for f in OutgoingEmail._meta.fields]

    def has_add_permission(self, request):
        return False
