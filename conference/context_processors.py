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
    return {"switcher_languages": languages, "switcher_next": path}
