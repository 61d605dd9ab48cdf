"""Kept so older imports keep working: the greeting rule lives in registrations.people
with the other rules about people. New code imports it from there."""

from registrations.people import greeting_name, greeting_names

__all__ = ["greeting_name", "greeting_names"]
