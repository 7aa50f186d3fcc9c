"""The places pages: tree, search, detail and import, each cut to the user's scope."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from huanjie.audit.models import Record
from huanjie.cycles import services as cycle_services
from huanjie.places.models import Kind, Place

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def text(response) -> str:
    return response.content.decode()


def codes_listed(response) -> list[str]:
    return re.findall(r'data-code="(\d+)"', text(response))


def test_tree_starts_at_the_scope_and_lists_its_children(tree, user_county_admin, client_for):
    response = client_for(user_county_admin).get(reverse("places"))

    assert response.status_code == 200
    assert "<html" in text(response)
    assert codes_listed(response) == ["430121001000", "430121100000"]
    assert "长沙县" in text(response)
    # the children of a township are loaded when its node is opened
    assert 'hx-get="/places/?node=430121001000"' in text(response)
    assert "金茶村" not in text(response)


def test_tree_of_a_township_user_starts_at_the_township(tree, user_township_a, client_for):
    response = client_for(user_township_a).get(reverse("places"))

    assert response.status_code == 200
    assert codes_listed(response) == ["430121001001", "430121001201"]
    assert "黄花镇" not in text(response)
    assert "长沙县" not in text(response)


def test_opening_a_node_loads_its_children(tree, user_township_a, client_for):
    client = client_for(user_township_a)
    response = client.get(reverse("places"), {"node": "430121001201"}, headers=HTMX)

    assert response.status_code == 200
    assert "<html" not in text(response)
    assert codes_listed(response) == ["430121001201001", "430121001201002"]

    other = client.get(reverse("places"), {"node": "430121100201"}, headers=HTMX)
    assert other.status_code == 404


def test_search_by_name_shows_paths_from_the_scope_down(tree, user_county_admin, client_for):
    response = client_for(user_county_admin).get(reverse("places"), {"q": "金茶"}, headers=HTMX)

    assert response.status_code == 200
    assert "<html" not in text(response)
    assert codes_listed(response) == ["430121001201"]
    assert "长沙县 › 星沙街道 › 金茶村" in text(response)


def test_search_stays_within_the_scope(tree, user_township_a, client_for):
    response = client_for(user_township_a).get(reverse("places"), {"q": "村"})

    assert codes_listed(response) == ["430121001201", "430121001201001", "430121001201002"]
    assert "星沙街道 › 金茶村 › 第一村民小组" in text(response)
    assert "长沙县 ›" not in text(response)


def test_search_by_code_prefix_and_kind_filter(tree, user_county_admin, client_for):
    client = client_for(user_county_admin)

    by_code = client.get(reverse("places"), {"q": "430121100"})
    assert codes_listed(by_code) == [
        "430121100000",
        "430121100001",
        "430121100201",
        "430121100201001",
    ]

    communities = client.get(reverse("places"), {"kind": Kind.COMMUNITY})
    assert codes_listed(communities) == ["430121001001", "430121100001"]

    both = client.get(reverse("places"), {"q": "黄", "kind": Kind.VILLAGE})
    assert codes_listed(both) == ["430121100201"]


def test_search_results_are_paginated(tree, user_county_admin, client_for):
    Place.objects.bulk_create(
        Place(
            code=f"430121001201{n:03d}",
            name=f"第{n}组",
            kind=Kind.GROUP,
            parent=tree["village_a1"],
        )
        for n in range(3, 58)
    )
    client = client_for(user_county_admin)

    first = client.get(reverse("places"), {"kind": Kind.GROUP})
    assert len(codes_listed(first)) == 50
    assert "58 places found" in text(first)
    assert "page 1 of 2" in text(first)

    second = client.get(reverse("places"), {"kind": Kind.GROUP, "page": 2}, headers=HTMX)
    assert codes_listed(second) == [f"430121001201{n:03d}" for n in range(51, 58)] + [
        "430121100201001"
    ]
    assert "page 2 of 2" in text(second)


def test_detail_of_a_village(cycle, election_a1, user_county_admin, client_for):
    village = election_a1.place
    cycle_services.sign_off(user_county_admin, cycle, village, "survey", note="done")

    response = client_for(user_county_admin).get(reverse("place", args=[village.code]))

    assert response.status_code == 200
    page = text(response)
    assert "430121001201" in page
    assert "3200" in page and "1010" in page
    assert (
        '<a href="/places/430121000000/">长沙县</a> › <a href="/places/430121001000/">星沙街道</a>'
        in page
    )
    assert codes_listed(response) == ["430121001201001", "430121001201002"]
    assert f'href="/elections/{election_a1.pk}/"' in page
    assert "主任 × 1、副主任 × 1、委员 × 3" in page
    assert f'href="/cycles/{cycle.pk}/places/430121001201/timeline/"' in page
    assert f'href="/cycles/{cycle.pk}/?place=430121001201"' in page
    assert '<tr data-parameter="proxies_per_person">' in page
    # the recent history of the place
    assert "step.sign_off" in page


def test_detail_of_a_township_has_no_elections(cycle, user_county_admin, client_for):
    response = client_for(user_county_admin).get(reverse("place", args=["430121001000"]))

    assert response.status_code == 200
    assert "/elections/" not in text(response)
    assert codes_listed(response) == ["430121001001", "430121001201"]


def test_a_place_in_another_township_is_not_found(tree, user_township_a, client_for):
    client = client_for(user_township_a)

    assert client.get(reverse("place", args=["430121100201"])).status_code == 404
    assert client.get(reverse("place", args=["430121100000"])).status_code == 404
    assert client.get(reverse("place", args=["430121000000"])).status_code == 404
    assert client.get(reverse("place", args=["999999999999"])).status_code == 404
    assert client.get(reverse("place", args=["430121001201"])).status_code == 200


def test_observer_can_view_but_not_import(tree, user_observer, client_for):
    client = client_for(user_observer)

    assert client.get(reverse("places")).status_code == 200
    assert client.get(reverse("place", args=["430121100201"])).status_code == 200
    assert "/places/import/" not in text(client.get(reverse("places")))
    assert client.get(reverse("places-import")).status_code == 403
    upload = SimpleUploadedFile(
        "places.csv", "代码,名称,类型\n430121002000,泉塘街道,街道\n".encode()
    )
    assert client.post(reverse("places-import"), {"file": upload}).status_code == 403
    assert not Place.objects.filter(code="430121002000").exists()


def test_without_login_or_role(tree, user_without_role, client_for):
    anonymous = client_for(None).get(reverse("places"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/login/")

    assert client_for(user_without_role).get(reverse("places")).status_code == 403


def test_import_page_imports_a_good_file(tree, user_county_admin, client_for):
    client = client_for(user_county_admin)
    assert client.get(reverse("places-import")).status_code == 200

    upload = SimpleUploadedFile(
        "places.csv",
        "代码,名称,类型,上级代码,人口,户数\n430121002000,泉塘街道,街道,,100,30\n".encode("gbk"),
    )
    response = client.post(reverse("places-import"), {"file": upload}, follow=True)

    assert response.redirect_chain == [("/places/", 302)]
    assert "Places imported: 1 created, 0 updated, 0 unchanged." in text(response)
    assert Place.objects.get(code="430121002000").parent.code == "430121000000"
    assert Record.objects.filter(action="place.create").count() == 1


def test_import_page_lists_every_problem_and_writes_nothing(tree, user_county_admin, client_for):
    upload = SimpleUploadedFile(
        "镇村.csv",
        (
            "代码,名称,类型,上级代码,人口,户数\n"
            "430121002000,泉塘街道,街道,,100,30\n"
            "430121002201,东山村,庄,,1,1\n"
            "430121002202,西山村,村,,-3,1\n"
        ).encode(),
    )
    places_before = Place.objects.count()

    response = client_for(user_county_admin).post(reverse("places-import"), {"file": upload})

    assert response.status_code == 400
    page = text(response)
    assert "The file has 2 problems; nothing was imported." in page
    assert "镇村.csv, row 3, column 类型: unknown kind “庄”" in page
    assert "镇村.csv, row 4, column 人口: “-3” is not a whole number of 0 or more" in page
    assert Place.objects.count() == places_before
    assert Record.objects.count() == 0
