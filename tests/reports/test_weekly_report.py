"""The weekly report (每周一报告, DOMAIN §10) of a place and of a township: its content
from the timelines, the printable page, the Word document and the API."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn

from huanjie.cycles import services
from huanjie.cycles.models import Election
from huanjie.cycles.timeline import timelines
from huanjie.reports import progress
from huanjie.rules.timeline import STEPS

# every step but the run-off, which happens only when needed
REQUIRED = sum(1 for s in STEPS if not s.optional)


def this_monday():
    return progress.week_of(timezone.localdate())[0]


def set_day(cycle, place, day):
    Election.objects.filter(cycle=cycle, place=place).update(election_day=day)


def sign(user, cycle, place, steps):
    for key, day, note in steps:
        services.sign_off(user, cycle, place, key, done_on=day, note=note)


@pytest.fixture
def jincha(cycle, village_a1, user_township_a):
    """金茶村 votes 40 days after this Monday M. On the national plan the preparation
    steps are due M-10, the recommendation M-2, the township's review M and the
    inspection M+1. Signed off: the survey before last week (M-8), the organisation
    setting (late) and the evaluation (with a note) last week, the audit this Monday."""
    monday = this_monday()
    set_day(cycle, village_a1, monday + timedelta(days=40))
    sign(
        user_township_a,
        cycle,
        village_a1,
        (
            ("survey", monday - timedelta(days=8), ""),
            ("org_setting", monday - timedelta(days=3), ""),
            ("democratic_evaluation", monday - timedelta(days=7), "测评通过"),
            ("financial_audit", monday, ""),
        ),
    )
    return village_a1


def keys(rows):
    return [r.rule.key for r in rows]


def last_week(cycle, place):
    """The report on last week, which is over whatever day today is."""
    today = timezone.localdate()
    tl = timelines(cycle, [place], today)[0]
    return progress.place_week(tl, this_monday() - timedelta(days=7), today)


def test_a_week_runs_from_monday_to_sunday():
    day = timezone.localdate()
    start, end = progress.week_of(day)
    assert start.weekday() == 0 and end.weekday() == 6
    assert start <= day <= end and (end - start).days == 6


def test_steps_signed_off_in_the_week_with_who_and_when(jincha, cycle):
    report = last_week(cycle, jincha)
    monday = this_monday()
    assert report.as_of == monday - timedelta(days=1)
    # the survey (M-8) was before the week, the audit (M) after it
    assert keys(report.done) == ["democratic_evaluation", "org_setting"]
    evaluation, setting = report.done
    assert evaluation.record.signed_off_by.username == "township_a"
    assert setting.record.done_on == monday - timedelta(days=3)
    assert setting.late and evaluation.late  # both due M-10


def test_overdue_steps_come_longest_first_as_the_week_ended(jincha, cycle):
    report = last_week(cycle, jincha)
    # the audit, signed off after the week, was still overdue at its end (9 days)
    assert keys(report.overdue) == ["financial_audit", "election_plan", "party_recommendation"]
    assert [r.days_overdue for r in report.overdue] == [9, 9, 1]
    assert report.late and report.days_late == 9


def test_steps_due_next_week_with_what_they_wait_for(jincha, cycle):
    report = last_week(cycle, jincha)
    assert keys(report.due_next) == ["party_township_review", "party_inspection"]
    review = report.due_next[0]
    assert review.due == this_monday()
    assert keys_of(review.blocked_by) == ["party_recommendation"]


def keys_of(steps):
    return [s.key for s in steps]


def test_progress_share_and_notes(jincha, cycle):
    report = last_week(cycle, jincha)
    assert report.progress == (3, REQUIRED)  # survey, setting, evaluation
    assert report.percent == round(100 * 3 / REQUIRED)
    assert [(r.rule.key, r.record.note) for r in report.notes] == [
        ("democratic_evaluation", "测评通过")
    ]


def test_this_weeks_report_is_the_default(jincha, cycle, user_township_a):
    report = progress.weekly_place(user_township_a, cycle, jincha)
    today = timezone.localdate()
    assert report.start == this_monday() and report.as_of == today
    assert keys(report.done) == ["financial_audit"]
    assert report.overdue[0].rule.key == "election_plan"
    assert report.overdue[0].days_overdue == (today - (this_monday() - timedelta(days=10))).days
    days = [r.days_overdue for r in report.overdue]
    assert days == sorted(days, reverse=True) and all(d > 0 for d in days)
    assert not {"survey", "org_setting", "financial_audit"} & set(keys(report.overdue))


# The township


@pytest.fixture
def xingsha(jincha, cycle, community_a2, user_township_a):
    """松雅社区 votes in 200 days and has nothing due yet; 金茶村 is late."""
    set_day(cycle, community_a2, this_monday() + timedelta(days=200))
    monday = this_monday()
    sign(user_township_a, cycle, community_a2, [("survey", monday - timedelta(days=2), "")])
    return jincha.parent


def test_township_report_puts_late_places_first_and_adds_up(xingsha, cycle, user_township_a):
    report = progress.weekly_township(user_township_a, cycle, xingsha, this_monday())
    assert [w.place.name for w in report.places] == ["金茶村", "松雅社区"]
    assert [w.late for w in report.places] == [True, False]
    totals = report.totals
    assert totals["places"] == 2 and totals["late_places"] == 1
    for name in ("done", "overdue", "due_next"):
        assert totals[name] == sum(len(getattr(w, name)) for w in report.places)
    assert totals["steps_finished"] == sum(w.progress[0] for w in report.places) == 5
    assert totals["steps_total"] == 2 * REQUIRED


# Pages, the Word document, the API


def test_place_page_shows_the_week_overdue_first(client_for, user_township_a, jincha, cycle):
    url = reverse("weekly-place", args=[cycle.pk, jincha.code])
    week = (this_monday() - timedelta(days=7)).isoformat()
    page = client_for(user_township_a).get(url, {"week": week})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index('id="overdue"') < html.index('id="done"') < html.index('id="next"')
    assert 'data-step="financial_audit"' in html and "测评通过" in html
    assert "window.print()" in html
    assert reverse("weekly-place-docx", args=[cycle.pk, jincha.code]) in html


def test_a_mistyped_week_says_so(client_for, user_township_a, jincha, cycle):
    url = reverse("weekly-place", args=[cycle.pk, jincha.code])
    page = client_for(user_township_a).get(url, {"week": "2026-13-01"})
    assert page.status_code == 200
    assert "Week: Dates must be given as YYYY-MM-DD." in page.content.decode()
    assert page.context["report"].start == this_monday()


def test_township_page_lists_every_place(client_for, user_county_admin, xingsha, cycle):
    url = reverse("weekly-township", args=[cycle.pk, xingsha.code])
    page = client_for(user_county_admin).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index('data-place="430121001201"') < html.index('data-place="430121001001"')


def docx_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return Document(io.BytesIO(response.content))


def cells(table):
    return [[c.text for c in row.cells] for row in table.rows]


def test_place_docx_has_the_heading_and_the_tables(client_for, user_township_a, jincha, cycle):
    url = reverse("weekly-place-docx", args=[cycle.pk, jincha.code])
    week = (this_monday() - timedelta(days=7)).isoformat()
    document = docx_of(client_for(user_township_a).get(url, {"week": week}))
    assert document.paragraphs[0].text == "Weekly progress report: 金茶村（430121001201）"
    overdue, done, due_next, notes = document.tables
    assert cells(overdue)[0] == ["Step", "Due", "Days overdue", "Waits for"]
    assert [r[0] for r in cells(overdue)[1:]] == [
        "Financial audit",
        "Election plan approved",
        "Recommendation by members and public",
    ]
    assert [r[2] for r in cells(overdue)[1:]] == ["9", "9", "1"]
    assert [(r[0], r[3], r[4]) for r in cells(done)[1:]] == [
        ("Democratic evaluation", "township_a", "late"),
        ("Organisation setting", "township_a", "late"),
    ]
    assert cells(due_next)[1][2] == "Recommendation by members and public"
    assert cells(notes)[1] == ["Democratic evaluation", "测评通过"]
    for style in ("Normal", "Heading 1", "Heading 2"):
        fonts = document.styles[style].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "宋体"
        assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_township_docx_totals_add_up(client_for, user_township_a, xingsha, cycle):
    url = reverse("weekly-township-docx", args=[cycle.pk, xingsha.code])
    document = docx_of(client_for(user_township_a, language="zh-hans").get(url))
    lines = cells(document.tables[0])
    places, total = lines[1:-1], lines[-1]
    assert [line[1] for line in places] == ["430121001201", "430121001001"]
    for column in (3, 4, 6):
        assert int(total[column]) == sum(int(line[column]) for line in places)
    # one table of overdue steps per late place
    assert len(document.tables) == 2


def test_api_weekly_place(client_for, user_township_a, jincha, cycle):
    url = f"/api/cycles/{cycle.pk}/places/{jincha.code}/weekly"
    week = (this_monday() - timedelta(days=3)).isoformat()  # a Friday of last week
    data = client_for(user_township_a).get(url, {"week": week}).json()
    assert data["week_start"] == (this_monday() - timedelta(days=7)).isoformat()
    assert [s["key"] for s in data["overdue"]] == [
        "financial_audit",
        "election_plan",
        "party_recommendation",
    ]
    assert data["overdue"][0]["days_overdue"] == 9
    assert [s["signed_off_by"] for s in data["done"]] == ["township_a", "township_a"]
    assert data["due_next"][0]["waits_for"][0]["key"] == "party_recommendation"
    assert (data["steps_finished"], data["steps_total"], data["late"]) == (3, REQUIRED, True)


def test_api_weekly_township(client_for, user_county_admin, xingsha, cycle):
    url = f"/api/cycles/{cycle.pk}/townships/{xingsha.code}/weekly"
    data = client_for(user_county_admin).get(url).json()
    assert [p["place"]["code"] for p in data["places"]] == ["430121001201", "430121001001"]
    assert data["totals"]["overdue"] == sum(len(p["overdue"]) for p in data["places"])
    assert data["totals"]["late_places"] == 1


def test_api_refuses_a_bad_week(client_for, user_township_a, jincha, cycle):
    url = f"/api/cycles/{cycle.pk}/places/{jincha.code}/weekly"
    assert client_for(user_township_a).get(url, {"week": "next"}).status_code == 422


# Scope and permissions


def test_another_township_does_not_see_the_reports(client_for, user_township_b, jincha, cycle):
    client = client_for(user_township_b)
    for url in (
        reverse("weekly-place", args=[cycle.pk, jincha.code]),
        reverse("weekly-place-docx", args=[cycle.pk, jincha.code]),
        reverse("weekly-township", args=[cycle.pk, jincha.parent.code]),
        reverse("weekly-township-docx", args=[cycle.pk, jincha.parent.code]),
        f"/api/cycles/{cycle.pk}/places/{jincha.code}/weekly",
        f"/api/cycles/{cycle.pk}/townships/{jincha.parent.code}/weekly",
    ):
        assert client.get(url).status_code == 404, url


def test_a_committee_sees_its_place_but_not_its_township(
    client_for, user_committee_a1, jincha, cycle
):
    client = client_for(user_committee_a1)
    assert client.get(reverse("weekly-place", args=[cycle.pk, jincha.code])).status_code == 200
    url = reverse("weekly-township", args=[cycle.pk, jincha.parent.code])
    assert client.get(url).status_code == 404


def test_the_wrong_kind_of_place_is_not_found(client_for, user_county_admin, jincha, cycle):
    client = client_for(user_county_admin)
    assert (
        client.get(reverse("weekly-place", args=[cycle.pk, jincha.parent.code])).status_code == 404
    )
    assert client.get(reverse("weekly-township", args=[cycle.pk, jincha.code])).status_code == 404


def test_an_observer_reads_and_changes_nothing(client_for, user_observer, jincha, cycle):
    client = client_for(user_observer)
    url = reverse("weekly-place", args=[cycle.pk, jincha.code])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405
