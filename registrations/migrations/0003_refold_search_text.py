# Kurdish letters (ڵ ڕ ێ ۆ) now fold to the Arabic ones (conference.text): stored
# search_text is folded again so "سالح" finds the "ساڵح" already registered.

from django.db import migrations


def refold(apps, schema_editor):
    from conference.text import fold_for_search

    Profile = apps.get_model("registrations", "DelegateProfile")
    changed = []
    for profile in Profile.objects.select_related("user").iterator(chunk_size=500):
        text = fold_for_search(
            " ".join([profile.passport_name, profile.arabic_name, profile.badge_name, profile.user.email])
        )[:700]
        if text != profile.search_text:
            profile.search_text = text
            changed.append(profile)
    Profile.objects.bulk_update(changed, ["search_text"], batch_size=500)


class Migration(migrations.Migration):

    dependencies = [
        ('registrations', '0002_remove_delegateprofile_one_profile_per_passport_and_more'),
    ]

    operations = [
        migrations.RunPython(refold, migrations.RunPython.noop),
    ]
