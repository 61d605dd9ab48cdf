"""The rules of registrations.people for templates: ``{% load people %}``, then
``{{ user|public_name }}``, ``{{ user|staff_name }}``, ``{{ profile|badge_name }}`` or
``{% with names=profile|listed_names %}``. Templates name people only through these."""

from django import template

from registrations import people

register = template.Library()


@register.filter
def public_name(user) -> str:
    return people.public_name(user) or ""


@register.filter
def staff_name(user, fallback: str = "") -> str:
    return people.staff_name(user, fallback=fallback)


@register.filter
def badge_name(profile) -> str:
    return people.badge_name(profile)


@register.filter
def listed_names(profile):
    return people.listed_names(profile)
