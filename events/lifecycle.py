"""Domain events published by services and handled inside the same transaction.

Lower layers (events, registrations) must not import higher ones (notifications), yet an
outbox row has to be written in the very transaction that changed the state (docs/design.md,
"The event bus", which also lists the handlers of each fact in the order they run).
Services therefore ``publish()`` a small, typed fact; apps above register handlers in their
``AppConfig.ready()``. Handlers run synchronously, in registration order, inside the caller's
transaction: they may write rows and queue work with ``transaction.on_commit``, and an
exception in a handler rolls the whole change back. This is deliberately explicit — one
registry, typed facts — rather than Django signals fired from ``save()``.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

Fact = TypeVar("Fact")

_handlers: defaultdict[type, list[Callable[[Any], None]]] = defaultdict(list)


def subscribe(fact_type: type[Fact], handler: Callable[[Fact], None]) -> None:
    if handler not in _handlers[fact_type]:
        _handlers[fact_type].append(handler)


def publish(fact: object) -> None:
    for handler in list(_handlers[type(fact)]):
        handler(fact)
