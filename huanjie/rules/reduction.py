"""Giving up the seats a party vote left open (减少名额, DOMAIN §8).

When fewer members are elected than the committee has seats, the seats left open are
filled by a run-off (另行选举) among those not elected, with the same majority. The
regulation (《中国共产党基层组织选举工作条例》) allows instead, when the number elected
is close to the seats (接近应选名额), to reduce the seats and not vote again, with the
consent of more than half of the voters. Three things are checked:

- *Close to the seats* is read as at most :data:`MOST_OPEN` seat short: a committee of
  five with four elected may stop at four, one with three elected may not.
- The committee that remains is no smaller than the least its kind of organisation
  may have: a branch committee (支部委员会) three, a general branch (总支部委员会) and
  a party committee (党的基层委员会) five (:data:`SMALLEST_COMMITTEE`).
- More than half of the voters consent: of those due to attend (应到会) by the 2020
  rule, of those present by the older one (``Profile.party_majority_base``) — the same
  base as the majority that elects (:func:`huanjie.rules.tally.threshold`).
"""

from collections.abc import Mapping
from dataclasses import dataclass

from huanjie.rules.findings import Finding, error
from huanjie.rules.profiles import NATIONAL, Profile
from huanjie.rules.tally import majority

__all__ = ["MOST_OPEN", "SMALLEST_COMMITTEE", "Reduction", "check_reduction", "consent_base"]

#: The most seats left open that may be given up instead of a run-off.
MOST_OPEN = 1

#: The least members of the committee of each kind of organisation.
SMALLEST_COMMITTEE: Mapping[str, int] = {
    "branch": 3,
    "general_branch": 5,
    "committee": 5,
}

_KINDS_ZH = {"branch": "党支部", "general_branch": "党总支", "committee": "党委"}


@dataclass(frozen=True)
class Reduction:
    """A proposed reduction: the committee's ``seats``, the members ``elected`` to it,
    the ``consenting`` voters of ``base`` (due or present, see :func:`consent_base`)
    and the kind of the organisation ("branch", "general_branch", "committee")."""

    seats: int
    elected: int
    consenting: int
    base: int
    organisation: str

    @property
    def open(self) -> int:
        return self.seats - self.elected

    @property
    def seats_after(self) -> int:
        """The committee after the reduction: the members elected."""
        return self.elected


def consent_base(due: int, present: int, profile: Profile = NATIONAL) -> int:
    """The voters whose majority must consent: those due to attend, or those present
    under the older rule — as for electing (DOMAIN §8)."""
    return due if profile.party_majority_base == "due" else present


def check_reduction(reduction: Reduction) -> list[Finding]:
    """What stands in the way of giving up the open seats (empty: nothing)."""
    r = reduction
    findings = []
    if r.open <= 0:
        findings.append(
            error(
                "reduction.nothing_open",
                "§8",
                "没有空缺名额，无需减少名额",
                "No seat is left open: there is nothing to reduce.",
                seats=r.seats,
                elected=r.elected,
            )
        )
        return findings
    if r.open > MOST_OPEN:
        findings.append(
            error(
                "reduction.not_close",
                "§8",
                f"当选{r.elected}人，比应选名额{r.seats}少{r.open}名，不接近应选名额，应另行选举",
                f"{r.elected} elected for {r.seats} seats is {r.open} short, not close to "
                f"the seats (at most {MOST_OPEN}): hold a run-off (另行选举).",
                seats=r.seats,
                elected=r.elected,
                most_open=MOST_OPEN,
            )
        )
    smallest = SMALLEST_COMMITTEE.get(r.organisation)
    if smallest is not None and r.elected < smallest:
        findings.append(
            error(
                "reduction.too_small",
                "§8",
                f"{_KINDS_ZH[r.organisation]}委员会至少{smallest}人，当选{r.elected}人不足",
                f"The committee of a {r.organisation.replace('_', ' ')} has at least "
                f"{smallest} members; {r.elected} elected is too few.",
                elected=r.elected,
                smallest=smallest,
            )
        )
    needed = majority(r.base)
    if r.consenting < needed:
        findings.append(
            error(
                "reduction.no_consent",
                "§8",
                f"同意减少名额{r.consenting}人，未超过选举人{r.base}人的半数（至少{needed}人）",
                f"{r.consenting} voters consent; more than half of {r.base} is needed ({needed}).",
                consenting=r.consenting,
                base=r.base,
                needed=needed,
            )
        )
    if r.consenting > r.base:
        findings.append(
            error(
                "reduction.more_than_voters",
                "§8",
                f"同意人数{r.consenting}超过选举人数{r.base}",
                f"{r.consenting} consenting is more than the {r.base} voters.",
                consenting=r.consenting,
                base=r.base,
            )
        )
    return findings
