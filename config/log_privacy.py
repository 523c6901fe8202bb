"""Keep email addresses out of the application's logs (docs/privacy.md).

The code names registrations and emails by id in what it logs. Exceptions are another
matter: an SMTP refusal carries the recipient's address, and a traceback prints it. This
filter, on every handler, replaces anything shaped like an address in the message and in the
traceback before a handler writes it.
"""

import logging
import re

# Loose on purpose: whatever looks like local@domain goes, valid address or not.
EMAIL_ADDRESS = re.compile(r"[^\s<>\"'(),;:\[\]{}]+@[^\s<>\"'(),;:\[\]{}]+")
REDACTED = "[address]"


class RedactEmailAddresses(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = EMAIL_ADDRESS.sub(REDACTED, message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = EMAIL_ADDRESS.sub(REDACTED, record.exc_text)
        return True
