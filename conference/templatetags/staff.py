"""Which staff links a person sees: the permissions they hold in the edition, so a
navigation never offers a page that would answer 403."""

from django import template

from conference.permissions import perms_of

register = template.Library()


@register.simple_tag(takes_context=True)
def edition_perms(context, conference) -> frozenset[str]:
    user = context.get("user") or getattr(context.get("request"), "user", None)
    if user is None or conference is None:
        return frozenset()
    return frozenset(str(perm) for perm in perms_of(user, conference))
