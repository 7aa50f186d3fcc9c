"""The voters part of the JSON API: rolls, the people left off them, conflicts and
their resolution, statistics, rebuild — with the pages' scope and capability rules."""

import json
from datetime import date

import pytest
from django.utils import timezone

from huanjie.audit.models import Record
from huanjie.places.models import Place
from huanjie.rules.ages import age_band
from huanjie.rules.identity import age_on
from huanjie.voters.models import Conflict, Publication, Voter

pytestmark = pytest.mark.django_db

A1, A2, B1 = "430121001201", "430121001001", "430121100201"


def post(client, path, data=None):
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def api(cycle, suffix):
    return f"/api/cycles/{cycle.pk}/{suffix}"


def test_the_schema_lists_the_voters_paths(client_for, user_observer):
    paths = client_for(user_observer).get("/api/openapi.json").json()["paths"]

    assert set(paths) >= {
        "/api/cycles/{id}/places/{code}/voters",
        "/api/cycles/{id}/places/{code}/voters/excluded",
        "/api/cycles/{id}/places/{code}/voters/rebuild",
        "/api/cycles/{id}/places/{code}/voters/statistics",
        "/api/cycles/{id}/conflicts",
        "/api/cycles/{id}/conflicts/{conflict_id}",
        "/api/cycles/{id}/conflicts/{conflict_id}/resolve",
    }
    assert set(paths["/api/cycles/{id}/conflicts/{conflict_id}/resolve"]) == {"post"}


def test_the_roll_with_masked_numbers_and_ages(
    rolls_built, cycle, people, client_for, user_observer, election_day
):
    response = client_for(user_observer).get(api(cycle, f"places/{A1}/voters"))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 6
    assert [v["name"] for v in body["items"]] == [
        "王晓梅",
        "赵敏",
        "钱进",
        "王小明",
        "张伟",
        "李华",
    ]
    wang = body["items"][3]
    number = people["王小明"].id_number
    assert wang == {
        "number": 4,
        "name": "王小明",
        "name_initials": "wxm",
        "id_number": number[:3] + "*" * 11 + number[-4:],
        "sex": "M",
        "age": wang["age"],
        "age_band": wang["age_band"],
        "ethnicity": "汉族",
        "category": "户在人在",
        "group": {"code": "430121001201001", "name": "第一村民小组", "kind": "group"},
        "source": "roll",
        "status": "listed",
    }
    age = age_on(date(1990, 3, 1), election_day)
    assert (wang["age"], wang["age_band"]) == (age, age_band(age).key)
    assert all(p.id_number not in response.content.decode() for p in people.values())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "wxm"}, ["王晓梅", "王小明"]),
        ({"category": "人在户不在"}, ["钱进"]),
        ({"group": "none", "sex": "F"}, ["王晓梅", "赵敏"]),
        ({"age_band": "over_55"}, ["张伟"]),
        ({"limit": 2, "offset": 2}, ["钱进", "王小明"]),
    ],
)
def test_the_roll_filters(rolls_built, cycle, client_for, user_township_a, query, expected):
    response = client_for(user_township_a).get(api(cycle, f"places/{A1}/voters"), query)

    assert response.status_code == 200
    assert [v["name"] for v in response.json()["items"]] == expected


def test_a_bad_filter_value_is_a_validation_error(rolls_built, cycle, client_for, user_township_a):
    response = client_for(user_township_a).get(api(cycle, f"places/{A1}/voters"), {"sex": "X"})

    assert response.status_code == 422


def test_scope_and_login(rolls_built, cycle, client_for, user_township_b):
    client = client_for(user_township_b)
    assert client.get(api(cycle, f"places/{A1}/voters")).status_code == 404
    assert client.get(api(cycle, f"places/{A1}/voters/excluded")).status_code == 404
    assert client.get(api(cycle, "places/430121001000/voters/statistics")).status_code == 404
    assert client.get(api(cycle, f"places/{B1}/voters")).json()["count"] == 3
    assert client.get(api(cycle, "places/430121100000/voters")).status_code == 404  # a township
    assert client_for(None).get(api(cycle, f"places/{B1}/voters")).status_code == 401


def test_the_excluded(rolls_built, cycle, client_for, user_township_a):
    response = client_for(user_township_a).get(api(cycle, f"places/{A1}/voters/excluded"))

    body = response.json()
    assert body["count"] == 3
    assert body["items"][0] == {
        "name": "孙丽",
        "id_number": body["items"][0]["id_number"],
        "reason": "absent_declined",
        "reason_zh": "户在人不在，不参加选举",
        "reason_en": "Lives elsewhere, declined to take part",
    }
    assert "*" in body["items"][0]["id_number"]
    only = client_for(user_township_a).get(
        api(cycle, f"places/{A1}/voters/excluded"), {"reason": "under_age"}
    )
    assert [e["name"] for e in only.json()["items"]] == ["刘小"]


def test_conflicts_of_the_users_area(
    rolls_built, cycle, client_for, user_township_a, user_township_b
):
    body = client_for(user_township_a).get(api(cycle, "conflicts")).json()

    assert body["count"] == 2
    by_name = {c["name"]: c for c in body["items"]}
    assert by_name["周杰"]["can_resolve"] is False  # 黄兴村 is in 黄花镇
    assert by_name["钱进"]["can_resolve"] is True
    assert by_name["钱进"]["options"] == [
        {
            "code": A1,
            "name": "金茶村",
            "category": "人在户不在",
            "in_system": True,
            "registered": True,
            "listed": True,
        },
        {
            "code": "430181001201",
            "name": "430181001201",
            "category": "户在人不在",
            "in_system": False,
            "registered": False,
            "listed": False,
        },
    ]
    other = client_for(user_township_b).get(api(cycle, "conflicts"), {"status": "open"}).json()
    assert [c["name"] for c in other["items"]] == ["周杰"]
    qian = by_name["钱进"]["id"]
    assert client_for(user_township_b).get(api(cycle, f"conflicts/{qian}")).status_code == 404


def test_resolving_through_the_api(rolls_built, cycle, client_for, user_county_admin):
    conflict = Conflict.objects.get(name="周杰")
    client = client_for(user_county_admin)

    response = post(
        client, api(cycle, f"conflicts/{conflict.pk}/resolve"), {"code": A2, "note": "专职社工"}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "resolved"
    assert body["registered_code"] == A2
    assert body["decided_by"] == "county_admin"
    assert body["note"] == "专职社工"
    assert body["options"][0]["code"] == A2 and body["options"][0]["listed"] is True
    assert Voter.objects.get(name="周杰").place.code == A2
    assert Record.objects.filter(action="voters.conflict_resolved").count() == 1


def test_resolving_refusals(
    rolls_built, cycle, client_for, user_county_admin, user_observer, user_township_b, english
):
    conflict = Conflict.objects.get(name="钱进")
    url = api(cycle, f"conflicts/{conflict.pk}/resolve")

    assert post(client_for(user_observer), url, {"code": A1}).status_code == 403
    assert post(client_for(user_township_b), url, {"code": A1}).status_code == 404
    missing_note = post(client_for(user_county_admin), url, {"code": "430181001201"})
    assert missing_note.status_code == 400
    assert "Say why 钱进" in missing_note.json()["detail"]
    Publication.objects.create(
        cycle=cycle,
        place=Place.objects.get(code=A1),
        kind=Publication.Kind.VOTER_LIST,
        published_on=timezone.localdate(),
        file="notices/test.pdf",
        user=user_county_admin,
    )
    posted = post(client_for(user_county_admin), url, {"code": "430181001201", "note": "回乡"})
    assert posted.status_code == 400
    assert "has been posted" in posted.json()["detail"]
    assert Conflict.objects.get(pk=conflict.pk).status == "open"


def test_statistics_add_up(rolls_built, cycle, client_for, user_observer):
    response = client_for(user_observer).get(api(cycle, "places/430121000000/voters/statistics"))

    assert response.status_code == 200
    body = response.json()
    total = body["total"]
    assert total["total"] == 12
    for key in ("category", "sex", "age_band", "ethnicity"):
        assert sum(total[key].values()) == total["total"]
        for name in total[key]:
            assert sum(r["counts"][key].get(name, 0) for r in body["rows"]) == total[key][name]
    assert [r["place"]["code"] for r in body["rows"]] == ["430121001000", "430121100000"]
    assert sum(r["counts"]["total"] for r in body["rows"]) == 12
    assert total["category"]["人在户不在"] == 2
    assert body["excluded"] == {"absent_declined": 1, "under_age": 1, "registered_elsewhere": 2}
    village = client_for(user_observer).get(api(cycle, f"places/{A1}/voters/statistics")).json()
    assert [r["label"] for r in village["rows"]][-1] == "No group (小组)"
    assert village["rows"][-1]["place"] is None and village["rows"][0]["excluded"] is None


def test_rebuild_through_the_api(people, cycle, client_for, user_committee_a1, user_observer):
    url = api(cycle, f"places/{A1}/voters/rebuild")

    assert post(client_for(user_observer), url).status_code == 403
    assert (
        post(client_for(user_committee_a1), api(cycle, f"places/{B1}/voters/rebuild")).status_code
        == 404
    )
    response = post(client_for(user_committee_a1), url)
    assert response.status_code == 200
    assert response.json() == {
        "places": 1,
        "voters": 6,
        "excluded": 3,
        "conflicts": 2,
        "changes": {},
    }
