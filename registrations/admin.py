"""Admin for the platform's superusers. Statuses change only through the services, so
registrations are read-only here; profiles are not in the admin at all, because
passports are for visa officers (who use the organizer pages, where views are logged)."""

from django.contrib import admin

from registrations.models import (
    Category,
    OrganizationProposal,
    Question,
    QuestionOption,
    Registration,
    StatusChange,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conference", "kind", "capacity", "requires_approval", "invite_only"]
    list_filter = ["conference", "kind", "requires_approval", "invite_only"]
    readonly_fields = ["invite_token"]


class QuestionOptionInline(admin.TabularInline):
    model = QuestionOption
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "conference", "kind", "required", "order"]
    list_filter = ["conference", "kind"]
    filter_horizontal = ["categories"]
    inlines = [QuestionOptionInline]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    readonly_fields = ["from_status", "to_status", "by", "reason", "at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["uuid", "conference", "category", "status", "country", "created_at"]
    list_filter = ["conference", "status", "category"]
    inlines = [StatusChangeInline]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["tracks"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OrganizationProposal)
class OrganizationProposalAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "status", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = ["proposed_by", "status", "organization", "resolved_at"]
