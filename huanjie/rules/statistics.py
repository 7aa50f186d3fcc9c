"""The statistics of a cycle (DOMAIN §11) as numbers that add up.

The reports give, per place and summed per township, county and cycle: registered
voters and turnout (参选率), party member turnout, the first-time success rate
(一次成功率), the places needing 另行选举 or 重新选举, the new committee members by sex,
age band, education, party membership, ethnicity and whether they sat on the previous
committee, women and college shares, secretaries and directors under 35 and 40, 一肩挑
and 交叉任职, candidates disqualified by reason, proxies, mobile-box votes and
helper-written ballots, complaints by type; and what the civil-affairs form asks
besides: the voters registered by category (§4) and on election day (补登), and the
nomination (§5.1): the meetings, those present, the nominees and the formal candidates.

All of it lives in one :class:`Figures` of whole numbers, so that a township is the sum
of its places and a county the sum of its townships (:func:`merge`), in any order and
any grouping; rates are computed from the summed counts, never averaged. And "a
breakdown must add up to its total" (§11; the seeds' own reports often do not):
:func:`check_breakdown` and :func:`check_figures` say where it does not.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from fractions import Fraction
from operator import attrgetter

from huanjie.rules import two_committees
from huanjie.rules.ages import AGE_BANDS, AgeBand, age_band
from huanjie.rules.findings import Finding, error
from huanjie.rules.identity import age_on

__all__ = [
    "COLLEGE",
    "COUNTS",
    "EDUCATION",
    "UNKNOWN",
    "YOUNG",
    "Elected",
    "Figures",
    "check_breakdown",
    "check_figures",
    "count_elected",
    "count_heads",
    "count_two_committees",
    "education_level",
    "elected_figures",
    "filled_first_time",
    "merge",
    "rate",
    "two_committee_figures",
    "young_heads",
]

#: The key of a person whose sex, age, education or ethnicity the records do not give:
#: counted, so that the breakdown still adds up to the total.
UNKNOWN = "unknown"

#: The education categories of §11, highest first: key → the reports' heading.
EDUCATION: Mapping[str, str] = {
    "postgraduate": "研究生",
    "bachelor": "本科",
    "college": "大专",
    "high_school": "高中/中专",
    "middle_school": "初中及以下",
}

#: What the residents file may say, in Chinese, for each category.
_EDUCATION_WORDS = {
    "研究生": "postgraduate",
    "博士": "postgraduate",
    "硕士": "postgraduate",
    "本科": "bachelor",
    "大学": "bachelor",
    "大专": "college",
    "专科": "college",
    "高中": "high_school",
    "中专": "high_school",
    "职高": "high_school",
    "技校": "high_school",
    "高中/中专": "high_school",
    "初中": "middle_school",
    "小学": "middle_school",
    "初中及以下": "middle_school",
    "文盲": "middle_school",
}

#: The categories that count as a college degree (大专及以上) for the college share.
COLLEGE = frozenset({"postgraduate", "bachelor", "college"})

#: Party membership of a member of the new committee.
PARTY_MEMBER, NOT_PARTY_MEMBER = "party_member", "not_party_member"

#: A member of the new committee who sat on the previous one (by ID number), or not.
RE_ELECTED, NEW = "re_elected", "new"

#: The ages the reports count young secretaries and directors below (§11: "under 35/40").
YOUNG = (35, 40)


def education_level(value: str | None) -> str:
    """The §11 category of an education as the residents records give it: one of the
    :class:`~huanjie.voters.models.Education` values (the same keys) or a Chinese
    word; anything else is :data:`UNKNOWN`."""
    value = (value or "").strip()
    if value in EDUCATION:
        return value
    return _EDUCATION_WORDS.get(value, UNKNOWN)


def rate(part: int, whole: int) -> Fraction | None:
    """``part`` of ``whole``, exactly; None when there is nothing to divide by."""
    return Fraction(part, whole) if whole else None


@dataclass(frozen=True)
class Elected:
    """A member of a new committee as the statistics see them. ``person`` identifies
    them (a resident), ``None`` for a name written in that nobody matched; the other
    fields are None or empty where the records do not say."""

    person: object
    office: str
    sex: str | None = None
    birth_date: date | None = None
    education: str | None = None
    ethnicity: str | None = None
    party_member: bool = False
    id_number: str = ""


@dataclass
class Figures:
    """The counts of §11 for one place or summed over several. Every field is a whole
    number or a :class:`~collections.Counter` of whole numbers, so that figures add up
    field by field (:func:`merge`)."""

    #: Villages and communities counted.
    places: int = 0
    # Registration (§4)
    registered: int = 0
    #: The category of each line on the roll (户在人在, 人在户不在, …).
    registered_by_category: Counter = field(default_factory=Counter)
    supplementary: int = 0  # added on election day (补登)
    # The nomination of the 居/村委会 (§5.1)
    nomination_places: int = 0  # places whose nomination meeting was counted
    nomination_roll: int = 0  # voters on the roll when those meetings opened
    nomination_present: int = 0
    nominees: int = 0  # everyone who stood (初步候选人), whatever became of them
    candidates: int = 0  # formal candidates (正式候选人)
    women_candidates: int = 0
    # The first vote of the 居/村委会 (§6)
    voted: int = 0
    proxies: int = 0  # entrustments recorded (委托投票)
    proxy_votes: int = 0  # ballots collected by a proxy
    mobile_box_votes: int = 0
    assisted: int = 0  # ballots written by a helper (代写)
    # The party members' meeting (§8)
    party_due: int = 0
    party_present: int = 0
    # The votes of the 居/村委会 (§7)
    voting_places: int = 0  # places whose first vote is confirmed
    first_time_success: int = 0  # … and filled every seat
    runoff_places: int = 0  # places needing 另行选举
    rerun_places: int = 0  # places needing 重新选举
    # The new 居/村委会
    seats: int = 0
    elected: int = 0
    sex: Counter = field(default_factory=Counter)
    age_band: Counter = field(default_factory=Counter)
    #: (sex, age band) → members: the age pyramid of the new committees.
    sex_age_band: Counter = field(default_factory=Counter)
    education: Counter = field(default_factory=Counter)
    party: Counter = field(default_factory=Counter)
    ethnicity: Counter = field(default_factory=Counter)
    #: :data:`RE_ELECTED` or :data:`NEW`, against the previous term's committees.
    term: Counter = field(default_factory=Counter)
    previous_places: int = 0  # places whose previous committees are on record
    age_total: int = 0  # the ages added up, of the members whose age is known
    aged: int = 0  # members whose age is known
    # Heads and the two committees (§2, §11)
    secretaries: int = 0
    secretaries_under_35: int = 0
    secretaries_under_40: int = 0
    directors: int = 0
    directors_under_35: int = 0
    directors_under_40: int = 0
    dual_head_places: int = 0
    two_committee_members: int = 0
    cross_appointed: int = 0
    # The joint review (§5.2)
    disqualified: int = 0
    disqualified_by_item: Counter = field(default_factory=Counter)
    # Complaints (§10), each counted at the place it concerns
    complaints: int = 0
    complaints_by_type: Counter = field(default_factory=Counter)

    def __add__(self, other: Figures) -> Figures:
        return merge((self, other))

    def __reduce__(self):
        # Pickled as its counts and its non-empty breakdowns only: a county's figures
        # are kept in the cache, a thousand of them, most breakdowns empty.
        breakdowns = {name: dict(c) for name in _BREAKDOWNS if (c := getattr(self, name))}
        return _restore, (_counts_of(self), breakdowns)

    # The rates of §11, exact; None where the base is zero.

    @property
    def turnout(self) -> Fraction | None:
        """参选率: voted / registered."""
        return rate(self.voted, self.registered)

    @property
    def party_turnout(self) -> Fraction | None:
        """Party members present / due to attend."""
        return rate(self.party_present, self.party_due)

    @property
    def first_time_success_rate(self) -> Fraction | None:
        """一次成功率: places that filled all seats in the first vote / places that
        voted."""
        return rate(self.first_time_success, self.voting_places)

    @property
    def women_share(self) -> Fraction | None:
        return rate(self.sex["F"], self.elected)

    @property
    def college_share(self) -> Fraction | None:
        """大专及以上 of the members elected."""
        return rate(sum(self.education[k] for k in COLLEGE), self.elected)

    @property
    def party_share(self) -> Fraction | None:
        return rate(self.party[PARTY_MEMBER], self.elected)

    @property
    def re_elected_share(self) -> Fraction | None:
        """Members who sat on the previous committee / the members elected."""
        return rate(self.term[RE_ELECTED], self.elected)

    @property
    def average_age(self) -> Fraction | None:
        return rate(self.age_total, self.aged)

    @property
    def dual_head_rate(self) -> Fraction | None:
        """一肩挑: places whose party secretary is also committee director / places."""
        return rate(self.dual_head_places, self.places)

    @property
    def cross_appointment_rate(self) -> Fraction | None:
        """交叉任职: people on both committees / members of the two committees."""
        return rate(self.cross_appointed, self.two_committee_members)


#: Each breakdown of :class:`Figures` and the total it must add up to (§11).
BREAKDOWNS: Mapping[str, str] = {
    "registered_by_category": "registered",
    "sex": "elected",
    "age_band": "elected",
    "education": "elected",
    "party": "elected",
    "ethnicity": "elected",
    "term": "elected",
    "disqualified_by_item": "disqualified",
    "complaints_by_type": "complaints",
}


#: The names of the whole-number fields of :class:`Figures`, in order.
COUNTS = tuple(f.name for f in fields(Figures) if f.type == "int")
_BREAKDOWNS = tuple(f.name for f in fields(Figures) if f.type == "Counter")
_counts_of = attrgetter(*COUNTS)


def _restore(counts: tuple[int, ...], breakdowns: dict[str, dict]) -> Figures:
    figures = Figures(**dict(zip(COUNTS, counts, strict=True)))
    for name, items in breakdowns.items():
        getattr(figures, name).update(items)
    return figures


def merge(parts: Iterable[Figures]) -> Figures:
    """The figures of several places (or levels) together: each count summed. The sum
    is the same in any order and any grouping, so a county is its townships summed or
    its places summed alike."""
    parts = list(parts)
    sums = (sum(column) for column in zip(*map(_counts_of, parts), strict=True))
    total = Figures(**dict(zip(COUNTS, sums, strict=False)))
    for name in _BREAKDOWNS:
        counter = getattr(total, name)
        get = counter.get
        for part in parts:
            # most places have nothing on most breakdowns; a county merges thousands
            for key, n in getattr(part, name).items():
                counter[key] = get(key, 0) + n
    return total


def elected_figures(
    people: Iterable[Elected],
    day: date | None,
    bands: Sequence[AgeBand] = AGE_BANDS,
    previous: Collection[str] = (),
) -> Figures:
    """The members of one new committee counted by sex, age band on ``day`` (the
    place's election day), education, party membership, ethnicity and term: re-elected
    when their ID number is among ``previous``, the ID numbers of the previous term's
    committees, new otherwise (a name written in that nobody matched has no number,
    so it is new). Someone the records say nothing of on a breakdown is counted there
    as :data:`UNKNOWN`, so every breakdown adds up to the members elected."""
    return count_elected(Figures(), people, day, bands, previous)


def count_elected(
    figures: Figures,
    people: Iterable[Elected],
    day: date | None,
    bands: Sequence[AgeBand] = AGE_BANDS,
    previous: Collection[str] = (),
) -> Figures:
    """:func:`elected_figures` added to ``figures`` (and returned): a place's figures
    are built in one object rather than merged from several."""
    for person in people:
        figures.elected += 1
        sex = person.sex if person.sex in ("M", "F") else UNKNOWN
        figures.sex[sex] += 1
        if person.birth_date is not None and day is not None:
            age = age_on(person.birth_date, day)
            band = age_band(age, bands).key
            figures.age_total += age
            figures.aged += 1
        else:
            band = UNKNOWN
        figures.age_band[band] += 1
        figures.sex_age_band[sex, band] += 1
        figures.education[education_level(person.education)] += 1
        figures.party[PARTY_MEMBER if person.party_member else NOT_PARTY_MEMBER] += 1
        figures.ethnicity[(person.ethnicity or "").strip() or UNKNOWN] += 1
        again = bool(person.id_number) and person.id_number in previous
        figures.term[RE_ELECTED if again else NEW] += 1
    return figures


def young_heads(
    births: Iterable[date | None], day: date | None, kind: str, limits: Sequence[int] = YOUNG
) -> Figures:
    """Secretaries (``kind="secretaries"``) or directors (``"directors"``) of one place,
    and how many of them are under each of the ages of ``limits`` on ``day``."""
    return count_heads(Figures(), births, day, kind, limits)


def count_heads(
    figures: Figures,
    births: Iterable[date | None],
    day: date | None,
    kind: str,
    limits: Sequence[int] = YOUNG,
) -> Figures:
    """:func:`young_heads` added to ``figures`` (and returned)."""
    for birth in births:
        setattr(figures, kind, getattr(figures, kind) + 1)
        if birth is None or day is None:
            continue
        age = age_on(birth, day)
        for limit in limits:
            name = f"{kind}_under_{limit}"
            if age < limit:
                setattr(figures, name, getattr(figures, name) + 1)
    return figures


def two_committee_figures(places: Sequence[two_committees.TwoCommittees]) -> Figures:
    """一肩挑 and 交叉任职 of the places, by :func:`huanjie.rules.two_committees.rates`
    (the ``places`` field is left to the caller, who counts the places once)."""
    return count_two_committees(Figures(), places)


def count_two_committees(
    figures: Figures, places: Sequence[two_committees.TwoCommittees]
) -> Figures:
    """:func:`two_committee_figures` added to ``figures`` (and returned)."""
    found = two_committees.rates(places)
    figures.dual_head_places += found.dual_head_places
    figures.two_committee_members += found.members
    figures.cross_appointed += found.cross_appointed
    return figures


def filled_first_time(result: Mapping | None) -> bool:
    """Whether a counted vote (its result as :meth:`huanjie.rules.tally.Result.as_json`
    gives it) is valid and filled every seat of every office, with no tie to vote on
    again: the 一次成功 of §11."""
    if not result or not result.get("valid"):
        return False
    return all(
        len(o["elected"]) == o["seats"] and not o["unfilled"] and not o["revote"]
        for o in result.get("offices", ())
    )


# Checks


def check_breakdown(
    total: int, parts: Mapping[str, int] | Iterable[int], what: str = ""
) -> list[Finding]:
    """A finding when the parts of a breakdown do not add up to its total (§11: "A
    breakdown must add up to its total")."""
    values = parts.values() if isinstance(parts, Mapping) else parts
    summed = sum(values)
    if summed == total:
        return []
    return [
        error(
            "statistics.breakdown_does_not_add_up",
            "§11",
            f"{what or '分项'}合计{summed}，与总数{total}不符。",
            f"The breakdown{f' by {what}' if what else ''} adds up to {summed}, "
            f"not to its total {total}.",
            what=what,
            total=total,
            summed=summed,
        )
    ]


#: (part, whole, what the part is, what the whole is): a part never exceeds its whole.
_BOUNDS: tuple[tuple[str, str, str, str], ...] = (
    ("supplementary", "registered", "补登选民数", "登记选民数"),
    ("nomination_present", "nomination_roll", "提名大会到会选民数", "提名时登记选民数"),
    ("candidates", "nominees", "正式候选人数", "初步候选人数"),
    ("women_candidates", "candidates", "女性正式候选人数", "正式候选人数"),
    ("voted", "registered", "参选人数", "登记选民数"),
    ("proxy_votes", "voted", "委托投票数", "参选人数"),
    ("mobile_box_votes", "voted", "流动票箱投票数", "参选人数"),
    ("assisted", "voted", "代写选票数", "参选人数"),
    ("party_present", "party_due", "实到会党员数", "应到会党员数"),
    ("first_time_success", "voting_places", "一次选举成功村（社区）数", "已选举村（社区）数"),
    ("elected", "seats", "当选人数", "应选名额"),
    ("aged", "elected", "年龄可知的当选人数", "当选人数"),
    ("secretaries_under_35", "secretaries_under_40", "35岁以下书记数", "40岁以下书记数"),
    ("secretaries_under_40", "secretaries", "40岁以下书记数", "书记数"),
    ("directors_under_35", "directors_under_40", "35岁以下主任数", "40岁以下主任数"),
    ("directors_under_40", "directors", "40岁以下主任数", "主任数"),
    ("dual_head_places", "places", "“一肩挑”村（社区）数", "村（社区）数"),
    ("cross_appointed", "two_committee_members", "交叉任职人数", "两委成员数"),
)


def check_figures(figures: Figures) -> list[Finding]:
    """Everything that cannot be true of honest figures: a breakdown that does not add
    up to its total, or a part larger than its whole (more voted than registered, more
    elected than seats, …)."""
    found: list[Finding] = []
    for name, total in BREAKDOWNS.items():
        found += check_breakdown(getattr(figures, total), getattr(figures, name), name)
    for part, whole, part_zh, whole_zh in _BOUNDS:
        p, w = getattr(figures, part), getattr(figures, whole)
        if p > w:
            found.append(
                error(
                    "statistics.part_exceeds_whole",
                    "§11",
                    f"{part_zh}{p}大于{whole_zh}{w}。",
                    f"{part} ({p}) is more than {whole} ({w}).",
                    part=part,
                    whole=whole,
                    part_value=p,
                    whole_value=w,
                )
            )
    return found
