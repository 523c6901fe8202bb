"""What every webhook event type is: the fact it listens to and the data it sends."""

from typing import Any, ClassVar

from django.utils.functional import Promise


class WebhookEventType:
    """One event type a receiver can subscribe to, like ``registration.created``.

    ``data`` turns one of its ``fact_types`` into the message's ``data``, or returns ``None``
    when this type does not report that fact (a promotion is not ``registration.created``).
    ``organization_id`` says whose endpoints hear of it.
    """

    name: ClassVar[str]
    label: ClassVar[str | Promise]
    # The facts it reports (most one; registration.created three).
    fact_types: ClassVar[tuple[type, ...]]

    def data(self, fact: Any) -> dict[str, Any] | None:
        raise NotImplementedError

    def organization_id(self, fact: Any) -> int:
        raise NotImplementedError

    def example(self) -> dict[str, Any]:
        """A made-up ``data`` of this type's shape, for the workspace's test message."""
        raise NotImplementedError
