"""The JSON API: authentication, the schema, and the places endpoints."""

import pytest

pytestmark = pytest.mark.django_db


def codes(response) -> list[str]:
    return [p["code"] for p in response.json()["items"]]


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/places"),
        ("get", "/api/places/430121001201"),
        ("get", "/api/cycles"),
        ("get", "/api/elections/1"),
        ("patch", "/api/elections/1"),
        ("post", "/api/cycles/1/places/430121001201/steps/survey/sign-off"),
    ],
)
def test_without_a_session_the_answer_is_401(tree, client_for, method, path):
    response = getattr(client_for(None), method)(path, content_type="application/json")
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_the_openapi_schema_lists_the_paths(client_for, user_observer):
    for path in ("/api/openapi.json", "/api/docs"):  # for signed-in users only
        assert client_for(None).get(path).status_code == 302
    response = client_for(user_observer).get("/api/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    assert set(paths) >= {
        "/api/places",
        "/api/places/{code}",
        "/api/cycles",
        "/api/cycles/{id}",
        "/api/cycles/{id}/elections",
        "/api/elections/{id}",
        "/api/cycles/{id}/places/{code}/timeline",
        "/api/cycles/{id}/places/{code}/steps/{key}/sign-off",
        "/api/cycles/{id}/places/{code}/profile",
    }
    assert set(paths["/api/elections/{id}"]) == {"get", "patch"}
    assert set(paths["/api/cycles/{id}/places/{code}/steps/{key}/sign-off"]) == {"post"}
    docs = client_for(user_observer).get("/api/docs")
    assert docs.status_code == 200
    assert b"openapi.json" in docs.content


def test_places_list_holds_only_the_scope(tree, client_for, user_township_a, user_county_admin):
    response = client_for(user_township_a).get("/api/places")

    assert response.status_code == 200
    assert response.json()["count"] == 5
    assert codes(response) == [
        "430121001000",
        "430121001001",
        "430121001201",
        "430121001201001",
        "430121001201002",
    ]
    assert response.json()["items"][2] == {
        "code": "430121001201",
        "name": "金茶村",
        "kind": "village",
        "kind_title": "Village",
        "parent": "430121001000",
        "population": 3200,
        "households": 1010,
    }
    assert client_for(user_county_admin).get("/api/places").json()["count"] == 10


def test_places_search_filters_and_pages(tree, client_for, user_county_admin):
    client = client_for(user_county_admin)

    assert codes(client.get("/api/places", {"q": "黄花"})) == ["430121100000", "430121100001"]
    assert codes(client.get("/api/places", {"q": "4301211002"})) == [
        "430121100201",
        "430121100201001",
    ]
    assert codes(client.get("/api/places", {"kind": "community"})) == [
        "430121001001",
        "430121100001",
    ]
    assert codes(client.get("/api/places", {"parent": "430121001201"})) == [
        "430121001201001",
        "430121001201002",
    ]
    page = client.get("/api/places", {"limit": 3, "offset": 2}).json()
    assert page["count"] == 10
    assert [p["code"] for p in page["items"]] == [
        "430121001001",
        "430121001201",
        "430121001201001",
    ]
    assert client.get("/api/places", {"kind": "hamlet"}).status_code == 422


def test_a_parent_out_of_scope_lists_nothing(tree, client_for, user_township_a):
    response = client_for(user_township_a).get("/api/places", {"parent": "430121100000"})
    assert response.json() == {"items": [], "count": 0}


def test_place_detail_with_path_and_children(tree, client_for, user_township_a):
    response = client_for(user_township_a).get("/api/places/430121001201")

    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["name"], body["parent"]) == (
        "430121001201",
        "金茶村",
        "430121001000",
    )
    # the path stops at the user's scope: the county is not shown to a township user
    assert body["path"] == [{"code": "430121001000", "name": "星沙街道", "kind": "street"}]
    assert [c["code"] for c in body["children"]] == ["430121001201001", "430121001201002"]


def test_place_out_of_scope_is_404(tree, client_for, user_township_a):
    client = client_for(user_township_a)
    assert client.get("/api/places/430121100201").status_code == 404
    assert client.get("/api/places/430121000000").status_code == 404
    assert client.get("/api/places/000000000000").status_code == 404


def test_a_user_without_role_is_403(tree, client_for, user_without_role):
    response = client_for(user_without_role).get("/api/places")
    assert response.status_code == 403
    assert response.json() == {"detail": "Forbidden"}
