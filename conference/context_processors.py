from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def site(request):
    """The language switcher's entries: each language, named in itself, with the same
    page's address in that language (so switching never loses the reader's place)."""
    current = get_language()
    path = request.get_full_path()
    languages = [
        {
            "code": code,
            "name": settings.LANGUAGE_SELF_NAMES.get(code, code),
            "url": translate_url(path, code),
            "current": code == current,
            "dir": "rtl" if get_language_info(code)["bidi"] else "ltr",
        }
        for code, _name in settings.LANGUAGES
    ]
    context = {"switcher_languages": languages, "switcher_next": path}
    # A staff member sent to set up two-factor authentication gets a way back to the
    # page they wanted once it is done (allauth ends on its own pages).
    resume = getattr(request, "session", {}).get("after_two_factor")
    if resume and request.user.is_authenticated:
        from conference.permissions import needs_two_factor

        if not needs_two_factor(request.user):
            context["resume_url"] = resume
    return context
