"""The migration that folds stored search text again once Kurdish letters fold too."""

import importlib

import pytest
from django.apps import apps

from registrations.models import DelegateProfile

pytestmark = pytest.mark.django_db


def test_profiles_saved_with_the_old_fold_are_found_after_the_migration(make_delegate):
    person = make_delegate(passport_name="Salh Karim", arabic_name="ساڵح کەریم")
    # As the Arabic-only fold stored it before: Kurdish letters kept.
    DelegateProfile.objects.filter(user=person).update(search_text="ساڵح کهريم salh karim")
    migration = importlib.import_module("registrations.migrations.0003_refold_search_text")
    migration.refold(apps, None)
    assert DelegateProfile.objects.filter(search_text__contains="سالح").count() == 1
