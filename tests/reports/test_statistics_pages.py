"""The statistics pages and API: the figures of the user's scope, the drill-down
county → township → place, the disagreeing places listed, and the role and place
scope of every page."""

import re

import pytest

from huanjie.polling.models import BoxCount
from huanjie.reports import statistics


def cells(html: str, table: str, place: str) -> list[str]:
    """The cells of one row of one table of the page."""
    body = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    row = body.split(f'data-place="{place}"', 1)[1].split("</tr>", 1)[0]
    return re.findall(r"<td>(.*?)</td>", row)


def test_the_county_page_has_a_row_per_township_and_the_total(
    built, cycle, client_for, user_county_admin, township_a, township_b
):
    response = client_for(user_county_admin).get(f"/cycles/{cycle.pk}/statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    report = statistics.compute(cycle, cycle.county)
    a, b = report.rows
    # Registered, voted, turnout … of each township and the county.
    assert cells(html, "statistics-voting", township_a.code)[:3] == [
        str(a.figures.registered),
        str(a.figures.voted),
        f"{100 * a.figures.voted / a.figures.registered:.1f}%",
    ]
    assert cells(html, "statistics-voting", township_b.code)[0] == "18"
    assert cells(html, "statistics-votes", "total") == [
        "4",
        "3",
        "1",
        "33.3%",
        "1",
        "1",
        "20",
        "12",
    ]
    assert cells(html, "statistics-heads", "total")[6:8] == ["1", "25.0%"]
    assert f'href="/cycles/{cycle.pk}/places/{township_a.code}/statistics/"' in html
    assert "Every breakdown adds up" in html
    for table in ("statistics-members", "statistics-background", "statistics-review"):
        assert f'id="{table}"' in html
    # Registered 户在人在, 人在户不在, 户在人不在, staff, on election day
    assert cells(html, "statistics-registration", township_a.code) == [
        str(a.figures.registered),
        str(a.figures.registered - 2),
        "2",
        "0",
        "0",
        "1",
    ]
    t = report.total
    assert cells(html, "statistics-nomination", "total") == [
        "1",
        "19",
        "15",
        "15",
        "11",
        str(t.women_candidates),
    ]
    assert cells(html, "statistics-term", "total") == ["12", "1", "2", "10", "16.7%"]
    # Complaints: bribery is the second type; the township office's lobbying complaint
    # is a line of its own, and in the total
    assert cells(html, "statistics-complaints", township_a.code)[:3] == ["2", "0", "1"]
    assert cells(html, "statistics-complaints", "offices")[0] == "1"
    assert cells(html, "statistics-complaints", "total")[:3] == ["4", "0", "2"]
    # The previous term beside the new, for 金茶村 (the one place with it on record)
    _places, new, old = report.against_previous()
    comparison = html.split('id="statistics-previous"', 1)[1].split("</table>", 1)[0]
    previous_line, new_line = (
        re.findall(r"<td>(.*?)</td>", r) for r in comparison.split("</tr>")[1:3]
    )
    assert previous_line[:2] == [str(old.elected), str(old.sex["F"])]
    assert new_line[:2] == ["5", str(new.sex["F"])]


def test_drilling_down_to_a_township_and_a_place(
    built, cycle, client_for, user_county_admin, township_a
):
    client = client_for(user_county_admin)
    html = client.get(f"/cycles/{cycle.pk}/places/{township_a.code}/statistics/").content.decode()
    assert cells(html, "statistics-voting", built["a1"].code)[:2] == ["20", "14"]
    assert cells(html, "statistics-voting", built["a2"].code)[:2] == ["12", "9"]
    assert f'href="/cycles/{cycle.pk}/places/{built["a1"].code}/statistics/"' in html
    html = client.get(f"/cycles/{cycle.pk}/places/{built['a1'].code}/statistics/").content.decode()
    assert cells(html, "statistics-voting", "total")[:7] == [
        "20",
        "14",
        "70.0%",
        "2",
        "2",
        "2",
        "3",
    ]
    # The crumbs lead back up.
    assert f'href="/cycles/{cycle.pk}/places/{township_a.code}/statistics/"' in html


def test_a_place_whose_numbers_disagree_is_listed(built, cycle, client_for, user_county_admin):
    BoxCount.objects.filter(poll=built["first_a1"], station=built["central_a1"]).update(issued=20)
    html = client_for(user_county_admin).get(f"/cycles/{cycle.pk}/statistics/").content.decode()
    section = html.split('id="statistics-disagreements"', 1)[1].split("</section>", 1)[0]
    assert f'data-place="{built["a1"].code}"' in section
    assert "give 22 ballots issued, but 14 voters were checked in" in section


def test_a_township_sees_its_own_scope_only(built, cycle, client_for, user_township_b, township_a):
    client = client_for(user_township_b)
    html = client.get(f"/cycles/{cycle.pk}/statistics/").content.decode()
    assert cells(html, "statistics-voting", "total")[0] == "18"
    assert built["a1"].code not in html
    assert client.get(f"/cycles/{cycle.pk}/places/{township_a.code}/statistics/").status_code == 404
    assert (
        client.get(f"/cycles/{cycle.pk}/places/{built['a1'].code}/statistics/").status_code == 404
    )
    api = client.get(f"/api/cycles/{cycle.pk}/places/{built['a1'].code}/statistics")
    assert api.status_code == 404


def test_a_committee_member_sees_their_place(built, cycle, client_for, user_committee_a1):
    client = client_for(user_committee_a1)
    html = client.get(f"/cycles/{cycle.pk}/statistics/").content.decode()
    assert cells(html, "statistics-voting", "total")[:2] == ["20", "14"]
    assert (
        client.get(f"/cycles/{cycle.pk}/places/{cycle.county.code}/statistics/").status_code == 404
    )


def test_observers_read_and_nobody_writes(
    built, cycle, client_for, user_observer, user_without_role
):
    observer = client_for(user_observer)
    assert observer.get(f"/cycles/{cycle.pk}/statistics/").status_code == 200
    assert observer.post(f"/cycles/{cycle.pk}/statistics/").status_code == 405
    assert observer.post(f"/api/cycles/{cycle.pk}/statistics").status_code == 405
    assert client_for(user_without_role).get(f"/cycles/{cycle.pk}/statistics/").status_code == 404
    assert client_for().get(f"/api/cycles/{cycle.pk}/statistics").status_code == 401


def test_a_group_has_no_statistics_of_its_own(
    built, cycle, client_for, user_county_admin, group_a1_1
):
    client = client_for(user_county_admin)
    assert client.get(f"/cycles/{cycle.pk}/places/{group_a1_1.code}/statistics/").status_code == 404


@pytest.mark.parametrize("path", ["statistics", "places/430121000000/statistics"])
def test_the_api_gives_the_figures_of_the_page(built, cycle, client_for, user_county_admin, path):
    response = client_for(user_county_admin).get(f"/api/cycles/{cycle.pk}/{path}?places=true")
    assert response.status_code == 200
    data = response.json()
    report = statistics.compute(cycle, cycle.county)
    assert data["within"]["code"] == cycle.county.code and data["level"] == "township"
    total = data["total"]
    t = report.total
    assert (total["registered"], total["voted"], total["elected"], total["seats"]) == (
        t.registered,
        t.voted,
        t.elected,
        t.seats,
    )
    assert total["sex"] == {"M": t.sex["M"], "F": t.sex["F"], "unknown": t.sex["unknown"]}
    assert sum(total["age_band"].values()) == sum(total["education"].values()) == t.elected
    assert total["rates"]["first_time_success"] == 0.3333
    assert total["rates"]["dual_head"] == 0.25
    assert total["disqualified_by_item"] == {"2": 1, "9": 1, "unknown": 1}
    assert [r["place"]["code"] for r in data["rows"]] == [r.place.code for r in report.rows]
    assert len(data["places"]) == 4
    by_code = {p["place"]["code"]: p["figures"] for p in data["places"]}
    assert by_code[built["a1"].code]["mobile_box_votes"] == 2
    assert by_code[built["a1"].code]["term"] == {"re_elected": 2, "new": 3}
    assert total["registered_by_category"]["人在户不在"] == 2
    assert total["complaints_by_type"]["bribery"] == 2
    assert data["office_complaints"]["lobbying"] == 1
    assert total["rates"]["re_elected_share"] == round(2 / 12, 4)
    assert data["disagreements"] == []


def test_the_api_lists_the_disagreements(built, cycle, client_for, user_township_a):
    BoxCount.objects.filter(poll=built["first_a1"], station=built["central_a1"]).update(issued=20)
    data = client_for(user_township_a).get(f"/api/cycles/{cycle.pk}/statistics").json()
    assert data["level"] == "place" and data["places"] is None
    [found] = data["disagreements"]
    assert found["place"]["code"] == built["a1"].code
    assert found["findings"][0]["code"] == "statistics.issued_differs_from_check_ins"
    assert found["findings"][0]["params"] == {"issued": 22, "checked_in": 14}
