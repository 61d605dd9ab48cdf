"""Placeholder until the feeds land."""

urlpatterns: list = []
