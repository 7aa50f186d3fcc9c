"""四增四减: how a community's roll changed since the last one (DOMAIN §4).

Between two rolls a community gains voters who turned 18, moved in with the right to
vote, married or were adopted in, or had their rights restored; it loses those who
moved out (the army included), married out, died, or were deprived of their rights.
The committee checks each change against its own knowledge, so each is named, and a
change the data cannot explain is said to be so rather than guessed.

The old and the new outcome are both :class:`~huanjie.rules.eligibility.Registration`
results of the same rules, so "turned 18" means exactly "excluded as under age before,
registered now".
"""

from dataclasses import dataclass
from enum import StrEnum

from huanjie.rules.eligibility import Reason, Registration


class Change(StrEnum):
    TURNED_18 = "turned_18"
    MOVED_IN = "moved_in"
    MARRIED_IN = "married_in"
    RIGHTS_RESTORED = "rights_restored"
    MOVED_OUT = "moved_out"
    MARRIED_OUT = "married_out"
    DIED = "died"
    DEPRIVED = "deprived"
    # The data alone cannot tell: someone no longer in the household records (died or
    # moved out), or still here but no longer qualifying (declined, incapacitated, …).
    LEFT_RECORDS = "left_records"
    OTHER_ADDED = "other_added"
    OTHER_REMOVED = "other_removed"

    @property
    def added(self) -> bool:
        return self in ADDED


ADDED = frozenset(
    {
        Change.TURNED_18,
        Change.MOVED_IN,
        Change.MARRIED_IN,
        Change.RIGHTS_RESTORED,
        Change.OTHER_ADDED,
    }
)

TITLE_ZH = {
    Change.TURNED_18: "年满十八周岁",
    Change.MOVED_IN: "迁入",
    Change.MARRIED_IN: "婚嫁、收养迁入",
    Change.RIGHTS_RESTORED: "恢复政治权利",
    Change.MOVED_OUT: "迁出（含参军）",
    Change.MARRIED_OUT: "婚嫁迁出",
    Change.DIED: "死亡",
    Change.DEPRIVED: "被剥夺政治权利",
    Change.LEFT_RECORDS: "不在本次户籍数据中（死亡或迁出，待核实）",
    Change.OTHER_ADDED: "其他增加",
    Change.OTHER_REMOVED: "其他减少",
}

#: Values of the optional 变动情况 column of a residents file, which say what the data
#: cannot: why someone arrived or left.
HINTS = {
    "迁入": Change.MOVED_IN,
    "婚入": Change.MARRIED_IN,
    "收养": Change.MARRIED_IN,
    "迁出": Change.MOVED_OUT,
    "参军": Change.MOVED_OUT,
    "婚出": Change.MARRIED_OUT,
    "死亡": Change.DIED,
}


@dataclass(frozen=True, slots=True)
class RollChange:
    place: str
    id_number: str
    name: str
    change: Change


def _reason_in(outcome: Registration | None, place: str) -> Reason | None:
    if outcome is None:
        return None
    return next((reason for where, reason in outcome.excluded if where == place), None)


def classify(
    place: str, before: Registration | None, after: Registration | None, hint: str = ""
) -> Change | None:
    """The change to ``place``'s roll for one person, or ``None`` if there is none.

    ``before`` is the person's outcome on the last roll (``None``: not in its data),
    ``after`` the outcome now (``None``: no longer in the data); ``hint`` is the file's
    变动情况, if any.
    """
    was_in = before is not None and before.place == place
    is_in = after is not None and after.place == place
    hinted = HINTS.get(hint.strip())
    if is_in and not was_in:
        if hinted is not None and hinted.added:
            return hinted
        if before is None:
            return Change.MOVED_IN
        reason = _reason_in(before, before.person.household)
        if reason == Reason.UNDER_AGE:
            return Change.TURNED_18
        if reason == Reason.DEPRIVED_OF_RIGHTS:
            return Change.RIGHTS_RESTORED
        if place not in (before.person.household, before.person.residence, before.person.staff_of):
            return Change.MOVED_IN
        return Change.OTHER_ADDED
    if was_in and not is_in:
        if hinted is not None and not hinted.added:
            return hinted
        if after is None:
            return Change.LEFT_RECORDS
        if _reason_in(after, after.person.household) == Reason.DEPRIVED_OF_RIGHTS:
            return Change.DEPRIVED
        if place not in (after.person.household, after.person.residence, after.person.staff_of):
            return Change.MOVED_OUT
        return Change.OTHER_REMOVED
    return None
