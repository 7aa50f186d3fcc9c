"""Who is registered as a voter, and where (DOMAIN §4, CONTRACTS §3).

A person may be registered in up to three communities: where their household is
registered (户籍地), where they live (居住地), and where they work full time as
community staff (专职工作社区). :func:`register` decides, for one person, the category
in each of them or the reason they are not registered there, and then — one person,
one place (不重登) — keeps the best category and excludes the others.

The same functions serve the batch (``huanjie roll build`` and the rolls of the
database) and a single resident edited on a page, so the two cannot disagree.
"""

from collections.abc import Iterable, Iterator
from datetime import date
from enum import StrEnum
from typing import NamedTuple

from huanjie.rules.identity import age_on, check_id

VOTING_AGE = 18
#: 人在户不在: living in the community for at least a year before D.
RESIDENCE_YEARS = 1


class Category(StrEnum):
    """Voter categories, best first: a person qualifying in several communities is
    registered under the first of these that applies (CONTRACTS §3 rule 5)."""

    RESIDENT_REGISTERED = "户在人在"
    RESIDENT_UNREGISTERED = "人在户不在"
    REGISTERED_ABSENT = "户在人不在"
    STAFF = "专职工作人员"


RANK = {category: rank for rank, category in enumerate(Category)}


class Reason(StrEnum):
    """Why a person is not on the roll of a community (CONTRACTS §3)."""

    INVALID_ID = "invalid_id"
    DUPLICATE_RECORD = "duplicate_record"
    UNDER_AGE = "under_age"
    DEPRIVED_OF_RIGHTS = "deprived_of_rights"
    INCAPACITATED = "incapacitated"
    ABSENT_DECLINED = "absent_declined"
    ABSENT_UNREACHABLE = "absent_unreachable"
    ABSENT_NO_INTENT = "absent_no_intent"
    NOT_APPLIED = "not_applied"
    RESIDENCE_TOO_SHORT = "residence_too_short"
    NOT_APPROVED = "not_approved"
    REGISTERED_ELSEWHERE = "registered_elsewhere"


#: Chinese wording of the reasons, for notices and reports.
REASON_ZH = {
    Reason.INVALID_ID: "身份证号码有误",
    Reason.DUPLICATE_RECORD: "重复记录",
    Reason.UNDER_AGE: "未满十八周岁",
    Reason.DEPRIVED_OF_RIGHTS: "被剥夺政治权利",
    Reason.INCAPACITATED: "无法行使选举权利",
    Reason.ABSENT_DECLINED: "户在人不在，不参加选举",
    Reason.ABSENT_UNREACHABLE: "户在人不在，联系不上",
    Reason.ABSENT_NO_INTENT: "户在人不在，未表示参加",
    Reason.NOT_APPLIED: "人在户不在，未申请",
    Reason.RESIDENCE_TOO_SHORT: "居住不满一年",
    Reason.NOT_APPROVED: "未经选民会议同意",
    Reason.REGISTERED_ELSEWHERE: "已在其他村（社区）登记",
}


class Intent(StrEnum):
    """参选意愿: what a person living away from home said when asked (DOMAIN §4)."""

    TAKE_PART = "参加"
    DECLINED = "不参加"
    UNREACHABLE = "联系不上"
    UNKNOWN = ""


_ABSENT_REASON = {
    Intent.DECLINED: Reason.ABSENT_DECLINED,
    Intent.UNREACHABLE: Reason.ABSENT_UNREACHABLE,
    Intent.UNKNOWN: Reason.ABSENT_NO_INTENT,
}


class Person(NamedTuple):
    """What the registration rules need to know of a person.

    ``household``, ``residence`` and ``staff_of`` are community codes; ``staff_of`` is
    empty for someone who is not full-time community staff. ``approved`` is the voters'
    (representatives') meeting's agreement (会议同意).
    """

    id_number: str
    name: str
    household: str
    residence: str
    lives_since: date | None = None
    deprived: bool = False
    incapacitated: bool = False
    intent: Intent = Intent.UNKNOWN
    approved: bool = False
    staff_of: str = ""


class Registration(NamedTuple):
    """The outcome for one person.

    ``place`` and ``category`` say where the person is registered (both ``None`` if
    nowhere); ``excluded`` lists ``(community, reason)`` for every other community.
    ``others`` are the communities where the person also qualified, with the category
    there — a conflict the township sees and may settle differently (DOMAIN §4, 不重登).
    """

    person: Person
    place: str | None = None
    category: Category | None = None
    excluded: tuple[tuple[str, Reason], ...] = ()
    others: tuple[tuple[str, Category], ...] = ()
    birth_date: date | None = None
    sex: str | None = None

    @property
    def conflict(self) -> bool:
        return bool(self.others)


def communities(person: Person) -> tuple[str, ...]:
    """The communities where the person could be registered, each once, in the order
    户籍地, 居住地, 专职工作社区."""
    home, live, staff = person.household, person.residence, person.staff_of
    found = (home,) if live == home else (home, live)
    if staff and staff not in found:
        found += (staff,)
    return found


def has_lived_a_year(since: date | None, election_day: date) -> bool:
    """At least one year of residence before D; the anniversary is reached the same way
    as a birthday, so residence from 29 February counts from 1 March. Unknown start:
    not shown, so not counted."""
    return since is not None and age_on(since, election_day) >= RESIDENCE_YEARS


def of_age(birth_date: date, election_day: date) -> bool:
    """18 full years on D (DOMAIN §4); a 29 February birthday is reached on 1 March."""
    return age_on(birth_date, election_day) >= VOTING_AGE


def ineligibility(person: Person, birth_date: date, election_day: date) -> Reason | None:
    """The reason the person may vote nowhere, or ``None`` (DOMAIN §4: 18 full years on
    D, political rights, able to express their will)."""
    if not of_age(birth_date, election_day):
        return Reason.UNDER_AGE
    if person.deprived:
        return Reason.DEPRIVED_OF_RIGHTS
    if person.incapacitated:
        return Reason.INCAPACITATED
    return None


def category_in(person: Person, community: str, election_day: date) -> Category | Reason:
    """The person's category in one community, or why they do not qualify there
    (CONTRACTS §3 rule 4)."""
    if community == person.household:
        if community == person.residence:
            return Category.RESIDENT_REGISTERED
        if person.intent == Intent.TAKE_PART:
            return Category.REGISTERED_ABSENT
        return _ABSENT_REASON[person.intent]
    if community == person.residence:
        if person.intent != Intent.TAKE_PART:
            return Reason.NOT_APPLIED
        if not has_lived_a_year(person.lives_since, election_day):
            return Reason.RESIDENCE_TOO_SHORT
        if not person.approved:
            return Reason.NOT_APPROVED
        return Category.RESIDENT_UNREGISTERED
    # Full-time staff of a community where the person neither is registered nor lives.
    return Category.STAFF if person.approved else Reason.NOT_APPROVED


def register(person: Person, election_day: date, today: date | None = None) -> Registration:
    """Decide where one person is registered (CONTRACTS §3 rules 1, 3, 4 and 5).

    An invalid ID number or a reason to vote nowhere is reported once, under 户籍地.
    ``today`` bounds the birth date in the ID number (a birth in the future is a
    typing error); it defaults to the current date.
    """
    checked = check_id(person.id_number, today)
    if checked.number != person.id_number:
        person = person._replace(id_number=checked.number)  # " 4301…x" is 4301…X
    if not checked.valid:
        return Registration(person, excluded=((person.household, Reason.INVALID_ID),))
    born = checked.birth_date
    reason = ineligibility(person, born, election_day)
    if reason is not None:
        return Registration(
            person, excluded=((person.household, reason),), birth_date=born, sex=checked.sex
        )
    qualified: list[tuple[str, Category]] = []
    excluded: list[tuple[str, Reason]] = []
    for community in communities(person):
        outcome = category_in(person, community, election_day)
        if isinstance(outcome, Category):
            qualified.append((community, outcome))
        else:
            excluded.append((community, outcome))
    if not qualified:
        return Registration(person, excluded=tuple(excluded), birth_date=born, sex=checked.sex)
    qualified.sort(key=lambda pair: RANK[pair[1]])
    (place, category), rest = qualified[0], qualified[1:]
    excluded.extend((community, Reason.REGISTERED_ELSEWHERE) for community, _ in rest)
    return Registration(
        person,
        place,
        category,
        tuple(excluded),
        tuple(rest),
        born,
        checked.sex,
    )


def settle(outcome: Registration, place: str) -> Registration:
    """The outcome with the person registered in ``place`` instead, as the township
    decided in a conflict; ``place`` must be one where the person qualifies."""
    if place == outcome.place:
        return outcome
    options = dict(outcome.others)
    if place not in options:
        raise ValueError(f"{outcome.person.id_number} does not qualify in {place}")
    others = tuple(
        (code, category)
        for code, category in ((outcome.place, outcome.category), *outcome.others)
        if code != place
    )
    excluded = tuple(pair for pair in outcome.excluded if pair[0] != place) + (
        (outcome.place, Reason.REGISTERED_ELSEWHERE),
    )
    return outcome._replace(place=place, category=options[place], excluded=excluded, others=others)


def duplicate(person: Person) -> Registration:
    """A later row for an ID number already seen (CONTRACTS §3 rule 2): only the first
    row counts; the later one is reported under its own 户籍地."""
    return Registration(person, excluded=((person.household, Reason.DUPLICATE_RECORD),))


def register_all(
    persons: Iterable[Person], election_day: date, today: date | None = None
) -> Iterator[Registration]:
    """Register a whole file of persons in order (CONTRACTS §3 rules 1–5): an invalid
    number first, then a repeated valid number, then :func:`register`."""
    today = today or date.today()
    seen: set[str] = set()
    for person in persons:
        outcome = register(person, election_day, today)
        number = outcome.person.id_number  # as written on the roll
        if outcome.birth_date is None:
            yield outcome
        elif number in seen:
            yield duplicate(outcome.person)
        else:
            seen.add(number)
            yield outcome
