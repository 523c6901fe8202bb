"""Two owners stepping down at the same moment leave one owner (PostgreSQL, real transactions).

``membership_role_change`` locks the organization's owner rows before it counts them; without
that lock each transaction would still see the other as an owner, and both would step down.
"""

import threading

import pytest
from django.db import connection, transaction

from events.models import Membership
from tests.factories import MembershipFactory
from tests.workspace.conftest import Workspace
from workspace.services.members import MembershipError, membership_role_change


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_owners_stepping_down_together_leave_one_owner(workspace: Workspace) -> None:
    first_owner = Membership.objects.get(user=workspace.owner)
    second_owner = MembershipFactory(
        organization=workspace.organization, role=Membership.Role.OWNER
    )
    first_changed = threading.Event()
    second_started = threading.Event()
    outcomes: dict[str, str] = {}
    errors: list[BaseException] = []

    def step_down(name: str, membership: Membership) -> None:
        try:
            membership_role_change(
                membership=membership, role=Membership.Role.ORGANIZER, actor=membership.user
            )
            outcomes[name] = "stepped down"
        except MembershipError:
            outcomes[name] = "refused"

    def first() -> None:
        try:
            # Hold the first change open until the second is under way, so the second reads
            # the owners while the first has not committed.
            with transaction.atomic():
                step_down("first", first_owner)
                first_changed.set()
                second_started.wait(timeout=5)
                threading.Event().wait(0.3)
        except BaseException as error:  # reported to the main thread below
            errors.append(error)
        finally:
            first_changed.set()
            connection.close()

    def second() -> None:
        try:
            first_changed.wait(timeout=5)
            second_started.set()
            step_down("second", second_owner)
        except BaseException as error:  # reported to the main thread below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    assert not errors
    assert outcomes == {"first": "stepped down", "second": "refused"}
    owners = Membership.objects.filter(
        organization=workspace.organization, role=Membership.Role.OWNER
    )
    assert list(owners.values_list("pk", flat=True)) == [second_owner.pk]
