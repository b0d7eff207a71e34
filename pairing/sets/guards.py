"""What every organiser's change to a set starts or ends with: the set's row locked, the
organisers' right checked, and the member who now looks after the dates told."""

from __future__ import annotations

from members.models import User
from pairing.sets.models import LearningSet
from pairing.sets.notify import member_notices
from pairing.sets.selectors import is_organiser, set_host_id
from pairing.sets.swap_rules import SetError


def locked_set(pk: int) -> LearningSet:
    """The set's row, locked first (then a session's) by every change that re-balances
    its rota or tells its members: two such changes run one after the other."""
    return LearningSet.objects.select_for_update().get(pk=pk)


def organiser_only(learning_set: LearningSet, by: User) -> None:
    if not is_organiser(by, learning_set.cycle.programme) and not by.has_perm(
        "pairing.change_programme"
    ):
        raise SetError("Only the programme's organisers can do this.")


def tell_new_host(
    learning_set: LearningSet, before: int | None, event: str, cause: str = ""
) -> bool:
    """The member who now looks after the set's dates (moves and cancels its sessions)
    is told, when that is someone else than `before`. True when someone was told."""
    after = set_host_id(learning_set)
    if after is not None and after != before:
        member_notices(learning_set, event, [after], cause=cause)
        return True
    return False
