"""Admin for the platform's superusers. Statuses change only through the services, so
registrations are read-only here; profiles are not in the admin at all, because
passports are for visa officers (who use the organizer pages, where views are logged).
A category's capacity is saved through the capacity service, so raising it here moves
the waiting list exactly as the organizers' page does."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from registrations import selectors, services
from registrations.models import (
    Category,
    OrganizationProposal,
    Question,
    QuestionOption,
    Registration,
    StatusChange,
)


class CategoryAdminForm(forms.ModelForm):
    """The admin's category form (the admin supplies the model and fields)."""

    def clean_capacity(self):
        # The service refuses this too (under the category's lock); checking here first
        # turns the common case into a field error instead of a failed save.
        capacity = self.cleaned_data["capacity"]
        if self.instance.pk is not None and capacity is not None:
            held_by = selectors.seats_held_by_category(conference=self.instance.conference)
            held = held_by.get(self.instance.pk, 0)
            if capacity < held:
                raise forms.ValidationError(
                    _("%(held)s seats are already taken: the capacity cannot go below that.") % {"held": held}
                )
        return capacity


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryAdminForm
    list_display = ["__str__", "conference", "kind", "capacity", "requires_approval", "invite_only"]
    list_filter = ["conference", "kind", "requires_approval", "invite_only"]
    readonly_fields = ["invite_token"]

    def save_model(self, request, obj, form, change):
        # category_save keeps the stored capacity and lets category_set_capacity change
        # it, so freed seats are offered to the waiting list at once.
        services.category_save(form=form, conference=obj.conference, by=request.user)


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
