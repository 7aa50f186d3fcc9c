"""The handover and the archive in the JSON API."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from huanjie.handover.models import Archive

A1 = "430121001201"


def post(client, path, data=None):
    return client.post(path, json.dumps(data or {}), content_type="application/json")


def test_the_paths_are_in_the_schema(client_for, user_observer):
    paths = client_for(user_observer).get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/cycles/{id}/places/{code}/handover",
        "/api/cycles/{id}/places/{code}/handover/items",
        "/api/handover/items/{item_id}",
        "/api/handover/items/{item_id}/tick",
        "/api/cycles/{id}/places/{code}/handover/sign",
        "/api/cycles/{id}/places/{code}/archives",
        "/api/archives/verify",
    ):
        assert path in paths


def test_the_checklist_ticked_and_signed(
    client_for, cycle, village_a1, user_committee_a1, user_township_a
):
    base = f"/api/cycles/{cycle.pk}/places/{A1}/handover"
    committee, township = client_for(user_committee_a1), client_for(user_township_a)
    assert committee.get(base).status_code == 404
    started = post(committee, base).json()
    assert [i["title"] for i in started["items"]] == [
        "印章",
        "账目/财务",
        "资产",
        "档案",
        "债权债务",
    ]
    added = post(committee, f"{base}/items", {"title": "现金", "count": 2}).json()
    assert added["count"] == 2 and added["open"]

    refused = post(township, f"{base}/sign", {"side": "outgoing", "name": "张三"})
    assert refused.status_code == 400 and "现金" in refused.json()["detail"]

    for item in [*started["items"], added]:
        for side in ("outgoing", "incoming"):
            assert (
                post(
                    committee, f"/api/handover/items/{item['id']}/tick", {"side": side}
                ).status_code
                == 200
            )
    assert post(committee, f"{base}/sign", {"side": "outgoing", "name": "张三"}).status_code == 403
    post(township, f"{base}/sign", {"side": "outgoing", "name": "张三"})
    signed = post(township, f"{base}/sign", {"side": "incoming", "name": "李四"}).json()
    assert signed["complete"]
    assert (
        signed["incoming"]["name"] == "李四" and signed["incoming"]["recorded_by"] == "township_a"
    )
    assert committee.delete(f"/api/handover/items/{added['id']}").status_code == 400


def test_scope_and_read_only_roles(client_for, handover, user_observer, user_township_b):
    base = f"/api/cycles/{handover.cycle.pk}/places/{A1}/handover"
    item = handover.items.first()
    observer = client_for(user_observer)
    assert observer.get(base).status_code == 200
    assert (
        post(observer, f"/api/handover/items/{item.pk}/tick", {"side": "outgoing"}).status_code
        == 403
    )
    other = client_for(user_township_b)
    assert other.get(base).status_code == 404
    assert (
        post(other, f"/api/handover/items/{item.pk}/tick", {"side": "outgoing"}).status_code == 404
    )
    assert post(other, f"/api/cycles/{handover.cycle.pk}/places/{A1}/archives").status_code == 404


def test_archives_made_listed_and_verified(
    client_for, stored, cycle, user_township_a, user_observer
):
    base = f"/api/cycles/{cycle.pk}/places/{A1}/archives"
    made = post(client_for(user_township_a), base).json()
    assert made["files"] > 5 and len(made["sha256"]) == 64
    assert [a["id"] for a in client_for(user_observer).get(base).json()] == [made["id"]]
    assert post(client_for(user_observer), base).status_code == 403

    with Archive.objects.get().file.open("rb") as f:
        data = f.read()
    answer = (
        client_for(user_observer)
        .post("/api/archives/verify", {"file": SimpleUploadedFile("a.zip", data)})
        .json()
    )
    assert answer == {
        "intact": True,
        "sha256": made["sha256"],
        "problems": [],
        "archive": made["id"],
    }
    broken = (
        client_for(user_observer)
        .post("/api/archives/verify", {"file": SimpleUploadedFile("a.zip", b"nope")})
        .json()
    )
    assert not broken["intact"] and broken["problems"][0]["code"] == "archive.not_zip"
