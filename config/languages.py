"""The languages a person can choose, read from ``settings.LANGUAGES`` (docs/i18n.md).

Adding a language is a line in ``LANGUAGES`` and a catalog in ``locale/``: the picker, the
registration form and the stored registration language all follow from here.
"""

from django.conf import settings
from django.utils import translation


def language_choices() -> list[tuple[str, str]]:
    """Each language named in itself ("English", «فارسی»), as the person who reads it knows it.

    A callable, so that migrations keep a reference to it rather than a copy of the list.
    """
    return [
        (code, translation.get_language_info(code)["name_local"])
        for code, _name in settings.LANGUAGES
    ]


def default_language() -> str:
    return str(settings.LANGUAGE_CODE)


def supported_language(code: str | None) -> str:
    """``code`` when it is one of ours (as LocaleMiddleware sets it), else the default."""
    return code if code and code in dict(settings.LANGUAGES) else default_language()
