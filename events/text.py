"""One-line text: names and titles that end up in calendars, exports and email headers.

A title, venue, person's or organization's name or question label is shown on one line, and
it travels: into .ics files, CSV cells, email subjects and display names. Control characters
there (CR/LF, ESC, BEL) break those formats or drive a terminal, and bidirectional overrides
(U+202A-U+202E, U+2066-U+2069) make text read differently from what it is ("gpj.exe" shown
as "exe.jpg"). Such fields refuse them (``validate_one_line``); text stored before the rule
is cleaned on the way out (``one_line``).

Format characters other than the overrides stay allowed: Persian spelling needs the
zero-width non-joiner, and the right-to-left mark is harmless.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# C0 controls (tab and newlines included), DEL, C1 controls, the line and paragraph
# separators, and the bidirectional embeddings, overrides and isolates.
_NOT_ONE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def validate_one_line(value: str) -> None:
    """Refuse line breaks, control characters and direction overrides, with a field error."""
    if _NOT_ONE_LINE.search(value):
        raise ValidationError(
            _("Please write this on one line, without invisible control characters."),
            code="not_one_line",
        )


# Of those, the ones that separate words: they become a space, the others go.
_SPACING = re.compile("[\t\n\x0b\x0c\r\x1c-\x1f\x85\u2028\u2029]")


def one_line(value: str) -> str:
    """``value`` with line breaks as spaces, the other refused characters dropped."""
    return " ".join(_NOT_ONE_LINE.sub("", _SPACING.sub(" ", value)).split())


# Text areas (descriptions, addresses): tab and line breaks are text; the other C0 and C1
# controls are not, and XML (the Atom feed) cannot carry them at all.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def validate_no_control_characters(value: str) -> None:
    """Refuse invisible control characters in multi-line text, with a field error."""
    if _CONTROL.search(value):
        raise ValidationError(
            _("Please remove invisible control characters."), code="control_characters"
        )


def without_control_characters(value: str) -> str:
    """``value`` without the characters ``validate_no_control_characters`` refuses, for text
    stored before the rule on its way into formats that cannot carry them."""
    return _CONTROL.sub("", value)


def validate_visible(value: str) -> None:
    """Refuse a name made only of invisible characters (a lone zero-width non-joiner, a
    direction mark): the required-field check strips spaces but not those, and the name would
    show as nothing in lists, exports and emails."""
    if value and not any(unicodedata.category(character)[0] not in "CZ" for character in value):
        raise ValidationError(
            _("Please write a name: this one has only invisible characters."), code="invisible"
        )
