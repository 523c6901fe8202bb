"""Cursor pagination: each page continues after the last row of the one before.

The cursor is the sort value and id of that row, encoded: pages stay right while rows are
added (an offset would skip or repeat them), and each page is one index range scan however
deep it is.
"""

import base64
import binascii
import json
from datetime import datetime
from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from api.problems import ApiProblem

M = TypeVar("M", bound=Model)

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def _encode(value: datetime, row_id: int) -> str:
    raw = json.dumps([value.isoformat(), row_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, row_id = json.loads(raw)
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None or not isinstance(row_id, int) or isinstance(row_id, bool):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise ApiProblem(
            422,
            "validation_failed",
            "The cursor is not one this API gave out.",
            errors=[{"location": "query", "field": "cursor", "detail": "Invalid cursor."}],
        ) from None
    return moment, row_id


def keyset_page(
    rows: QuerySet[M], *, order_field: str, cursor: str | None, limit: int
) -> tuple[list[M], str | None]:
    """One page of ``rows`` ordered by (``order_field``, id), and the next page's cursor."""
    ordered = rows.order_by(order_field, "id")
    if cursor:
        value, last_id = _decode(cursor)
        ordered = ordered.filter(
            Q(**{f"{order_field}__gt": value}) | Q(**{order_field: value, "id__gt": last_id})
        )
    page = list(ordered[: limit + 1])
    if len(page) <= limit:
        return page, None
    last = page[limit - 1]
    return page[:limit], _encode(getattr(last, order_field), last.pk)
