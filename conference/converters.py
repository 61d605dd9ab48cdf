from conference.models import EDITION_SLUG_PATTERN


class EditionSlugConverter:
    regex = EDITION_SLUG_PATTERN

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
