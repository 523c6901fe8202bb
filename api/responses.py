"""The error statuses each kind of operation documents, so clients (and the schemathesis
test) know every answer an operation can give."""

from api.problems import Problem

# Any authenticated read: bad token, unknown id, bad query, too many requests.
READ_ERRORS = frozenset({401, 404, 422, 429})
# Writes add: a body that is not JSON, a read-only token, a state that forbids the change.
WRITE_ERRORS = READ_ERRORS | {400, 403, 409}


def problems(statuses: frozenset[int]) -> dict[int, type[Problem]]:
    return dict.fromkeys(sorted(statuses), Problem)
