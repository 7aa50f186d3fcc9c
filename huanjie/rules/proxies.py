"""Whether an entrustment (委托投票) may be registered (DOMAIN §6).

A voter away on election day may give a near relative, who is a voter of the same
place, the right to vote for them, in writing. The election committee confirms each
entrustment and publishes the list of entrusters and proxies before D. What the law
and the local method allow:

* nobody entrusts themself;
* each voter entrusts one person, once;
* a proxy accepts at most ``profile.proxies_per_person`` entrustments (5 in the seed's
  Hunan profile, 3 in most provinces): a few people holding many votes is how votes
  are bought;
* a formal candidate cannot accept: they would vote for themself with other people's
  ballots;
* the proxy is a near relative within the scope the local method sets
  (``profile.proxy_relations``);
* no chains: a proxy has not entrusted anyone, and an entruster holds no entrustment,
  since a vote handed on twice is a vote nobody can trace.

The relation is what the written authorisation declares. Where the recorded family
ties (spouse, parent: :mod:`huanjie.rules.kinship`) say something else about the two,
that is a warning, not a refusal: the ties are often incomplete, and the committee has
the signed authorisation in hand.
"""

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass

from huanjie.rules.findings import Finding, error, warning
from huanjie.rules.kinship import Family, Kinship, Tie
from huanjie.rules.profiles import Profile

__all__ = ["Entrustment", "Person", "accepted", "check_entrustment", "relation_titles"]


@dataclass(frozen=True)
class Person:
    """A voter: ``id`` identifies them in the family ties (a resident id)."""

    id: Hashable
    name: str


@dataclass(frozen=True)
class Entrustment:
    """``entruster`` gives ``proxy`` the right to vote; ``relation`` is what the proxy
    is to the entruster (a :class:`~huanjie.rules.kinship.Kinship` value: "spouse"
    means the proxy is the entruster's spouse)."""

    entruster: Person
    proxy: Person
    relation: str


def relation_titles(relation: str) -> tuple[str, str]:
    """A relation in Chinese and in English; an unknown value as it is."""
    try:
        kinship = Kinship(relation)
    except ValueError:
        return relation, relation
    return kinship.title_zh, kinship.title_en


def accepted(registered: Iterable[Entrustment]) -> Counter:
    """How many entrustments each proxy (by person id) holds."""
    return Counter(e.proxy.id for e in registered)


def check_entrustment(
    new: Entrustment,
    registered: Sequence[Entrustment],
    profile: Profile,
    *,
    candidates: Collection[Hashable] = (),
    ties: Family | Iterable[Tie] = (),
) -> list[Finding]:
    """What the rules say about registering ``new`` beside ``registered`` (the
    entrustments of the election so far). Errors refuse it; a warning is shown.

    ``candidates`` are the person ids of the election's candidates.
    """
    entruster, proxy = new.entruster, new.proxy
    if entruster.id == proxy.id:
        return [
            error(
                "proxies.self",
                "§6",
                f"{entruster.name}不能委托本人",
                f"{entruster.name} cannot entrust themself.",
                entruster=entruster.id,
            )
        ]
    findings: list[Finding] = []
    earlier = next((e for e in registered if e.entruster.id == entruster.id), None)
    if earlier is not None:
        findings.append(
            error(
                "proxies.one_per_entruster",
                "§6",
                f"{entruster.name}已委托{earlier.proxy.name}代为投票，每一选民只能委托一人",
                f"{entruster.name} has already entrusted {earlier.proxy.name}; a voter "
                "entrusts one person.",
                entruster=entruster.id,
                proxy=earlier.proxy.id,
            )
        )
    if proxy.id in candidates:
        findings.append(
            error(
                "proxies.candidate",
                "§6",
                f"{proxy.name}是本次选举的候选人，正式候选人不能接受委托",
                f"{proxy.name} is a candidate of this election; a formal candidate cannot "
                "accept an entrustment.",
                proxy=proxy.id,
            )
        )
    zh, en = relation_titles(new.relation)
    if new.relation not in profile.proxy_relations:
        allowed = [relation_titles(r) for r in profile.proxy_relations]
        findings.append(
            error(
                "proxies.relation",
                "§6",
                f"受委托人应是委托人的近亲属（{'、'.join(z for z, _ in allowed) or '无'}），"
                f"“{zh}”不在本地选举办法规定的范围内",
                f"A proxy must be a near relative within the local method's scope "
                f"({', '.join(e for _, e in allowed) or 'none'}); “{en}” is not.",
                relation=new.relation,
                allowed=list(profile.proxy_relations),
            )
        )
    counts = accepted(registered)
    holds = counts[proxy.id]
    limit = profile.proxies_per_person
    if holds >= limit:
        findings.append(
            error(
                "proxies.limit",
                "§6",
                f"{proxy.name}已接受{holds}人委托，每一选民接受委托不得超过{limit}人",
                f"{proxy.name} already holds {holds} entrustments; a voter may accept at "
                f"most {limit}.",
                proxy=proxy.id,
                holds=holds,
                limit=limit,
            )
        )
    onward = next((e for e in registered if e.entruster.id == proxy.id), None)
    if onward is not None:
        findings.append(
            error(
                "proxies.proxy_entrusted",
                "§6",
                f"{proxy.name}本人已委托{onward.proxy.name}投票，不能再接受委托",
                f"{proxy.name} has entrusted {onward.proxy.name} with their own vote and "
                "cannot accept an entrustment.",
                proxy=proxy.id,
            )
        )
    if holds_any := counts[entruster.id]:
        findings.append(
            error(
                "proxies.entruster_is_proxy",
                "§6",
                f"{entruster.name}已接受{holds_any}人委托，不能再委托他人",
                f"{entruster.name} holds {holds_any} entrustments and cannot hand on their "
                "own vote.",
                entruster=entruster.id,
                holds=holds_any,
            )
        )
    recorded = _recorded(entruster.id, proxy.id, ties)
    if recorded is not None and recorded.value != new.relation:
        findings.append(
            warning(
                "proxies.relation_disagrees",
                "§6",
                f"委托书写明{proxy.name}是{entruster.name}的{zh}，家庭关系登记为"
                f"{recorded.title_zh}，请核对委托书",
                f"The authorisation says {proxy.name} is {entruster.name}'s {en}; the "
                f"family records say {recorded.title_en}. Check the authorisation.",
                declared=new.relation,
                recorded=recorded.value,
            )
        )
    return findings


def _recorded(entruster: Hashable, proxy: Hashable, ties) -> Kinship | None:
    family = ties if isinstance(ties, Family) else Family(ties)
    return family.relation(entruster, proxy)
