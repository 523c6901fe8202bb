"""Text from a textarea, compared and stored as the person meant it."""


def normalize_multiline(text: str) -> str:
    """Text as a textarea means it: LF line breaks, no whitespace around it.

    Browsers send a textarea's line breaks as CRLF whatever was stored, and Django's
    Textarea adds a newline after the opening tag; compared raw, text saved by a script or
    an earlier form would count as "changed" on every save (an audit entry saying the
    description changed when only the time did; registrants told the address moved).
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()
