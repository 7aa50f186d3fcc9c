from django.urls import reverse

from huanjie.audit.models import Record
from huanjie.cycles.models import Step


def timeline_url(cycle, place):
    return reverse("timeline", args=[cycle.pk, place.code])


def test_county_dashboard_has_one_row_per_township(client_for, user_county_admin, cycle):
    page = client_for(user_county_admin).get(reverse("dashboard"))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r["place"].code for r in rows] == ["430121001000", "430121100000"]
    assert all(r["places"] == 2 for r in rows)
    # everything before D is overdue on a fresh cycle whose early steps are past due
    assert page.context["places_total"] == 4


def test_township_dashboard_lists_only_its_own_places(client_for, user_township_a, cycle):
    page = client_for(user_township_a).get(reverse("dashboard"))
    codes = [r["place"].code for r in page.context["rows"]]
    assert codes == ["430121001001", "430121001201"]
    assert "430121100201" not in page.content.decode()


def test_dashboard_filter_by_name_with_htmx(client_for, user_township_a, cycle):
    page = client_for(user_township_a).get(
        reverse("dashboard"), {"q": "金茶"}, headers={"HX-Request": "true"}
    )
    assert [r["place"].name for r in page.context["rows"]] == ["金茶村"]
    assert b"<html" not in page.content


def test_timeline_page_shows_deadlines_and_sign_off(client_for, user_township_a, cycle, village_a1):
    page = client_for(user_township_a).get(timeline_url(cycle, village_a1))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-step="survey"' in html
    assert "Financial audit" in html


def test_sign_off_through_htmx_returns_the_updated_table(
    client_for, user_township_a, cycle, village_a1
):
    url = reverse("step-sign-off", args=[cycle.pk, village_a1.code, "survey"])
    page = client_for(user_township_a).post(url, {"note": "ok"}, headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert 'id="step-survey" class="phase-preparation finished"' in page.content.decode()
    assert Step.objects.get(key="survey").note == "ok"


def test_a_refused_sign_off_shows_the_rule(client_for, user_township_a, cycle, village_a1):
    url = reverse("step-sign-off", args=[cycle.pk, village_a1.code, "election_committee"])
    page = client_for(user_township_a).post(url, follow=True)
    assert "DOMAIN §3" in page.content.decode()
    assert not Record.objects.exists()


def test_observer_reads_but_cannot_sign_off(client_for, user_observer, cycle, village_a1):
    client = client_for(user_observer)
    page = client.get(timeline_url(cycle, village_a1))
    assert page.status_code == 200
    assert b'name="sign"' not in page.content
    url = reverse("step-sign-off", args=[cycle.pk, village_a1.code, "survey"])
    assert client.post(url).status_code == 403
    assert not Step.objects.exists()


def test_other_townships_do_not_exist_for_a_township_user(
    client_for, user_township_a, cycle, village_b1
):
    client = client_for(user_township_a)
    assert client.get(timeline_url(cycle, village_b1)).status_code == 404
    url = reverse("step-sign-off", args=[cycle.pk, village_b1.code, "survey"])
    assert client.post(url).status_code == 404


def test_attach_a_document_to_a_step(client_for, user_township_a, cycle, village_a1):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(user_township_a)
    url = reverse("step-attach", args=[cycle.pk, village_a1.code, "election_plan"])
    client.post(url, {"file": SimpleUploadedFile("方案.pdf", b"%PDF-1.4 plan")})
    doc = Step.objects.get(key="election_plan").documents.get()
    assert doc.name == "方案.pdf" and len(doc.sha256) == 64
    download = client.get(reverse("document", args=[doc.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    assert Record.objects.get().action == "step.attach"


def test_election_page_refuses_illegal_seats(client_for, user_township_a, election_a1):
    client = client_for(user_township_a)
    page = client.post(reverse("election", args=[election_a1.pk]), {"seats_member": "9"})
    assert page.status_code == 200
    assert election_a1.offices.get(key="member").seats == 3
    assert "3" in page.content.decode()


def test_cycle_page_shows_profile_values_and_overrides(
    client_for, user_county_admin, cycle, township_a
):
    client = client_for(user_county_admin)
    client.post(
        reverse("override-add", args=[cycle.pk]),
        {
            "place": township_a.code,
            "parameter": "proxies_per_person",
            "value": "5",
            "reason": "乡镇办法",
        },
    )
    page = client.get(reverse("cycle", args=[cycle.pk]), {"place": "430121001201"})
    assert page.context["values"]["proxies_per_person"] == "5"
    assert "proxies_per_person" in page.context["overridden"]


def test_county_admin_opens_a_cycle_from_the_page(client_for, user_county_admin, county):
    from huanjie.cycles.models import Cycle

    client = client_for(user_county_admin)
    assert client.get(reverse("cycle-create")).status_code == 200
    page = client.post(
        reverse("cycle-create"),
        {
            "county": county.code,
            "name": "第十二届",
            "term_number": "12",
            "starts_on": "2026-10-01",
            "ends_on": "2027-03-31",
            "profile": "hunan",
        },
    )
    cycle = Cycle.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse("cycle", args=[cycle.pk])
    bad = client.post(
        reverse("cycle-create"),
        {
            "county": county.code,
            "term_number": "13",
            "starts_on": "2027-10-01",
            "ends_on": "2027-01-01",
        },
    )
    assert bad.status_code == 200 and Cycle.objects.count() == 1


def test_township_staff_cannot_open_a_cycle(client_for, user_township_a):
    assert client_for(user_township_a).get(reverse("cycle-create")).status_code == 403


def test_set_up_and_add_elections_from_the_pages(
    client_for, user_township_a, cycle, township_a, village_a1
):
    from huanjie.cycles.models import Election

    client = client_for(user_township_a)
    client.post(
        reverse("elections-set-up", args=[cycle.pk]),
        {"place": township_a.code, "election_day": "2026-12-20"},
    )
    assert Election.objects.filter(place__in=[village_a1], body="party_committee").exists()
    page = client.post(
        reverse("election-add", args=[cycle.pk, village_a1.code]),
        {"body": "supervision_committee"},
    )
    election = Election.objects.get(place=village_a1, body="supervision_committee")
    assert page["Location"] == reverse("election", args=[election.pk])


def test_the_dashboard_shows_what_needs_attention_and_the_reports(
    client_for, user_county_admin, cycle, county
):
    from django.utils import timezone

    from huanjie.complaints import incidents
    from huanjie.places.models import Place

    incidents.report_incident(
        user_county_admin,
        cycle,
        Place.objects.get(code="430121001201"),
        level="severe",
        occurred_at=timezone.now(),
        summary="选举会场秩序混乱",
    )
    html = client_for(user_county_admin).get(reverse("dashboard")).content.decode()
    assert 'id="complaints-attention"' in html
    assert 'data-kind="incident"' in html
    for name, args in (
        ("reports-statistics", [cycle.pk]),
        ("reports-exports", [cycle.pk, county.code]),
        ("complaints", [cycle.pk]),
        ("reports-civil-form", [cycle.pk, county.code]),
        ("reports-summary-docx", [cycle.pk, county.code]),
    ):
        assert reverse(name, args=args) in html
