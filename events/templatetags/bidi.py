"""Text whose direction may differ from the page's, isolated so punctuation lands right.

A Latin name in a Persian sentence ("سلام Parisa،") or a Persian title in an English one
would otherwise pull the neighbouring punctuation to the wrong side (docs/design.md,
"Languages"). For HTML only; plain-text emails carry the text as it is.
"""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def isolate(value: object) -> SafeString:
    """``<bdi>value</bdi>``, escaped: for a value placed inside a translated sentence."""
    return format_html("<bdi>{}</bdi>", value)
