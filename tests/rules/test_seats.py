"""Bodies, offices and seat numbers (DOMAIN §2, §5.3)."""

import pytest

from huanjie.rules.findings import Finding, has_errors
from huanjie.rules.profiles import HUNAN, NATIONAL, apply_overrides
from huanjie.rules.seats import OFFICES, Body, check_seats, committee_body, default_offices


def codes(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.code, f.level) for f in findings]


def test_bodies_and_titles():
    assert Body("villagers_committee") is Body.VILLAGERS_COMMITTEE
    assert Body.RESIDENTS_COMMITTEE.title_zh == "居民委员会"
    assert Body.SUPERVISION_COMMITTEE.title_zh == "村/居务监督委员会"
    assert [o.key for o in OFFICES[Body.PARTY_COMMITTEE]] == [
        "secretary",
        "deputy_secretary",
        "member",
    ]
    assert [o.title_zh for o in OFFICES[Body.VILLAGERS_COMMITTEE]] == ["主任", "副主任", "委员"]
    assert set(OFFICES) == set(Body)


@pytest.mark.parametrize(
    ("body", "kind", "layout"),
    [
        (Body.VILLAGERS_COMMITTEE, "village", {"director": 1, "deputy": 1, "member": 3}),
        (Body.RESIDENTS_COMMITTEE, "community", {"director": 1, "deputy": 1, "member": 5}),
        (Body.PARTY_COMMITTEE, "village", {"secretary": 1, "deputy_secretary": 1, "member": 3}),
        (Body.ELECTION_COMMITTEE, "community", {"chair": 1, "member": 6}),
        (Body.SUPERVISION_COMMITTEE, "village", {"chair": 1, "member": 2}),
        (Body.CONSULTATION_COUNCIL, "community", {"chair": 1, "member": 6}),
    ],
)
def test_default_layouts_pass_the_checks(body, kind, layout):
    assert default_offices(body, kind) == layout
    assert check_seats(body, layout, NATIONAL) == []
    assert check_seats(body, layout, HUNAN) == []


def test_default_offices_refuse_the_wrong_committee():
    with pytest.raises(ValueError):
        default_offices(Body.VILLAGERS_COMMITTEE, "community")
    with pytest.raises(ValueError):
        default_offices(Body.PARTY_COMMITTEE, "township")
    assert committee_body("village") is Body.VILLAGERS_COMMITTEE
    assert committee_body("community") is Body.RESIDENTS_COMMITTEE


@pytest.mark.parametrize(
    ("body", "members", "ok"),
    [
        (Body.VILLAGERS_COMMITTEE, 1, False),  # 2 in all
        (Body.VILLAGERS_COMMITTEE, 2, True),  # 3
        (Body.VILLAGERS_COMMITTEE, 6, True),  # 7
        (Body.VILLAGERS_COMMITTEE, 7, False),  # 8
        (Body.RESIDENTS_COMMITTEE, 3, False),  # 4
        (Body.RESIDENTS_COMMITTEE, 4, True),  # 5
        (Body.RESIDENTS_COMMITTEE, 8, True),  # 9
        (Body.RESIDENTS_COMMITTEE, 9, False),  # 10
    ],
)
def test_committee_size_edges(body, members, ok):
    findings = check_seats(body, {"director": 1, "member": members}, NATIONAL)
    assert findings == [] if ok else codes(findings) == [("seats.total_out_of_range", "error")]


def test_committee_size_message():
    (finding,) = check_seats(
        Body.VILLAGERS_COMMITTEE, {"director": 1, "deputy": 2, "member": 6}, NATIONAL
    )
    assert finding.message_zh == "村民委员会成员应为3至7人，现为9人"
    assert finding.message_en == "A villagers' committee has 3 to 7 members; this one has 9."
    assert finding.section == "§2"
    assert finding.params == {
        "body": "villagers_committee",
        "least": 3,
        "most": 7,
        "total": 9,
    }


def test_committee_size_follows_the_profile():
    narrow = apply_overrides(NATIONAL, {"village_committee_seats": [3, 5]})
    layout = {"director": 1, "deputy": 1, "member": 4}
    assert check_seats(Body.VILLAGERS_COMMITTEE, layout, NATIONAL) == []
    (finding,) = check_seats(Body.VILLAGERS_COMMITTEE, layout, narrow)
    assert finding.message_zh == "村民委员会成员应为3至5人，现为6人"


@pytest.mark.parametrize("directors", [0, 2])
def test_committee_has_exactly_one_director(directors):
    findings = check_seats(Body.RESIDENTS_COMMITTEE, {"director": directors, "member": 5}, NATIONAL)
    assert ("seats.head", "error") in codes(findings)
    head = next(f for f in findings if f.code == "seats.head")
    assert head.message_zh == f"居民委员会应设主任1名，现为{directors}名"


def test_party_committee_needs_one_secretary_and_no_size_in_law():
    party = Body.PARTY_COMMITTEE
    assert check_seats(party, {"secretary": 1}, NATIONAL) == []
    assert check_seats(party, {"secretary": 1, "member": 10}, NATIONAL) == []
    assert codes(check_seats(party, {"member": 5}, NATIONAL)) == [("seats.head", "error")]
    assert codes(check_seats(party, {"secretary": 2, "member": 3}, NATIONAL)) == [
        ("seats.head", "error")
    ]


def test_party_committee_target_of_the_seed_is_a_warning():
    party = Body.PARTY_COMMITTEE
    five = {"secretary": 1, "deputy_secretary": 2, "member": 2}
    seven = {"secretary": 1, "deputy_secretary": 2, "member": 4}
    assert check_seats(party, five, HUNAN) == []
    findings = check_seats(party, seven, HUNAN)
    assert codes(findings) == [("seats.party_committee_target", "warning")]
    assert not has_errors(findings)
    assert findings[0].message_zh == "党组织委员会一般设委员5名，现为7名"
    assert check_seats(party, seven, NATIONAL) == []


@pytest.mark.parametrize(
    ("total", "ok"),
    [(4, False), (5, True), (6, False), (7, True), (8, False), (9, True), (11, False)],
)
def test_election_committee_has_5_7_or_9(total, ok):
    findings = check_seats(Body.ELECTION_COMMITTEE, {"chair": 1, "member": total - 1}, NATIONAL)
    assert findings == [] if ok else codes(findings) == [("seats.election_committee_size", "error")]


@pytest.mark.parametrize(("total", "ok"), [(2, False), (3, True), (5, True), (6, False)])
def test_supervision_committee_has_3_to_5(total, ok):
    findings = check_seats(Body.SUPERVISION_COMMITTEE, {"chair": 1, "member": total - 1}, NATIONAL)
    assert findings == [] if ok else codes(findings) == [("seats.total_out_of_range", "error")]


@pytest.mark.parametrize(("total", "ok"), [(6, False), (7, True), (10, True), (11, False)])
def test_consultation_council_size_is_a_guide(total, ok):
    findings = check_seats(Body.CONSULTATION_COUNCIL, {"chair": 1, "member": total - 1}, NATIONAL)
    assert findings == [] if ok else codes(findings) == [("seats.council_size", "warning")]


def test_unknown_and_negative_offices():
    findings = check_seats(
        Body.VILLAGERS_COMMITTEE, {"director": 1, "member": 3, "secretary": 1}, NATIONAL
    )
    assert codes(findings) == [("seats.unknown_office", "error")]
    assert findings[0].message_zh == "村民委员会没有“secretary”职务"
    findings = check_seats(
        Body.VILLAGERS_COMMITTEE, {"director": 1, "deputy": -1, "member": 5}, NATIONAL
    )
    assert ("seats.negative", "error") in codes(findings)


def test_body_may_be_given_as_its_value():
    assert check_seats("election_committee", {"chair": 1, "member": 4}, NATIONAL) == []
