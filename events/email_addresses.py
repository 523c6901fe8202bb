"""Email addresses Convene writes to: a domain name after the @, never an address literal.

Django's ``EmailValidator`` accepts RFC 5321 address literals such as ``a@[127.0.0.1]``.
Nobody's inbox is known by an IP address, and accepting one would let anyone make the site
send mail to a host of their choosing (internal ones included), so the registration,
organizer and account forms refuse them.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def validate_email_domain_name(value: str) -> None:
    if value.rpartition("@")[2].strip().startswith("["):
        raise ValidationError(
            _("Enter an address with a domain name after the @, not an IP address."),
            code="domain_literal",
        )


class EmailAddressField(forms.EmailField):
    """An email form field that also refuses address literals."""

    default_validators = [*forms.EmailField.default_validators, validate_email_domain_name]
