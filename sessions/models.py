"""The programme. Rooms come first (the foundation's demo places them); sessions,
workshops, conflicts and publishing arrive with the programme issue."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from conference.i18n import TranslatedField
from conference.models import Conference


class Room(models.Model):
    conference = models.ForeignKey(
        Conference, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="rooms"
    )
    slug = models.SlugField(_("slug"), max_length=60)
    name = TranslatedField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("seats"))
    interpretation_booth = models.BooleanField(_("interpretation booth"), default=False)
    step_free = models.BooleanField(_("step-free access"), default=True)
    equipment = TranslatedField(_("equipment"), blank=True, max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["conference", "order", "slug"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        constraints = [
            models.UniqueConstraint(fields=["conference", "slug"], name="room_slug_unique"),
            models.CheckConstraint(condition=Q(capacity__gt=0), name="room_capacity_positive"),
        ]

    def __str__(self) -> str:
        return str(self.name)
