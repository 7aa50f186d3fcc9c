"""Pages of the complaints and incidents: the register with its filters and PDF, a new
complaint, handling on the complaint's page, the incidents, the attention panel, and
role and area checks."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from huanjie.complaints.models import Complaint, Incident

pytestmark = pytest.mark.usefixtures("english")


def text_of(response):
    return response.content.decode()


def test_register_lists_the_area_and_filters(
    client_for, cycle, complaint_a1, overdue_a1, complaint_b1, user_township_a, user_county_admin
):
    url = reverse("complaints", args=[cycle.pk])
    page = text_of(client_for(user_township_a).get(url))
    assert "有人给选民发红包拉票" in page and "外出务工人员未登记" in page
    assert "候选人威胁选民" not in page
    assert "5 days overdue" in page
    assert "anonymous" in page
    county = client_for(user_county_admin)
    assert "候选人威胁选民" in text_of(county.get(url))
    only_b = text_of(county.get(url, {"township": "430121100000"}))
    assert "候选人威胁选民" in only_b and "红包" not in only_b
    overdue = text_of(county.get(url, {"state": "overdue"}))
    assert "外出务工人员未登记" in overdue and "红包" not in overdue
    by_type = text_of(county.get(url, {"type": "threats", "q": "威胁"}))
    assert "候选人威胁选民" in by_type and "外出务工" not in by_type


def test_register_township_filter_out_of_area_is_404(client_for, cycle, user_township_a):
    url = reverse("complaints", args=[cycle.pk])
    assert client_for(user_township_a).get(url, {"township": "430121100000"}).status_code == 404


def test_register_paginates(client_for, cycle, village_a1, user_township_a):
    today = timezone.localdate()
    Complaint.objects.bulk_create(
        Complaint(
            cycle=cycle,
            place=village_a1,
            number=n,
            type="other",
            received_on=today,
            channel="phone",
            summary=f"第{n}件",
            deadline=today + timedelta(days=15),
        )
        for n in range(1, 56)
    )
    url = reverse("complaints", args=[cycle.pk])
    first = text_of(client_for(user_township_a).get(url))
    assert "page 1 of 2" in first and "55 complaints" in first
    second = text_of(client_for(user_township_a).get(url, {"page": 2}))
    assert second.count('data-number="') == 5


def test_printable_register_is_a_pdf(client_for, cycle, complaint_a1, overdue_a1, user_observer):
    response = client_for(user_observer).get(reverse("complaints_pdf", args=[cycle.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "complaints-430121000000-" in response["Content-Disposition"]


def test_printing_rows_say_the_handling(complaint_a1, overdue_a1, user_township_a, today):
    from huanjie.complaints import printing, register

    register.close_complaint(user_township_a, complaint_a1, "substantiated", "取消候选人资格")
    row = printing.row_of(complaint_a1, today)
    assert (row.type, row.channel, row.handling) == (
        "严禁贿选（含发红包）",
        "来访",
        "属实：取消候选人资格",
    )
    late = printing.row_of(overdue_a1, today)
    assert late.complainant == "匿名" and late.handling == "办理中（已逾期5天）"
    pdf = printing.register_pdf([row, late] * 40, area="长沙县", cycle="第十二届", printed_on=today)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) > 1
    first, last = pages[0].extract_text(), pages[-1].extract_text()
    assert "长沙县信访举报登记台账" in first and "共80件" in first
    assert f"第 {len(pages)} 页 共 {len(pages)} 页" in last
    # The headings are repeated on every page.
    assert all("反映问题" in page.extract_text() for page in pages)
    assert "取消候选人资格" in first and "（已逾期5天）" in first


def test_new_complaint(client_for, cycle, village_a1, user_committee_a1, today):
    client = client_for(user_committee_a1)
    url = reverse("complaint_new", args=[cycle.pk])
    form = text_of(client.get(url))
    assert 'value="430121001201"' in form
    assert 'value="430121001000"' not in form  # the township is beyond the committee
    response = client.post(
        url,
        {
            "place": village_a1.code,
            "type": "smearing",
            "received_on": today.isoformat(),
            "channel": "online",
            "summary": "网上散布候选人谣言",
        },
    )
    c = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaint", args=[cycle.pk, c.pk])
    assert c.registered_by == user_committee_a1 and c.is_anonymous
    page = text_of(client.get(response["Location"]))
    assert "网上散布候选人谣言" in page
    assert "Record a step" not in page  # the committee registers, the township handles


def test_new_complaint_bad_input_names_the_field(client_for, cycle, village_a1, user_township_a):
    response = client_for(user_township_a).post(
        reverse("complaint_new", args=[cycle.pk]),
        {"place": village_a1.code, "type": "bribery", "channel": "pigeon", "summary": "x"},
    )
    assert response.status_code == 400
    assert "Channel: “pigeon” is not one of the choices." in text_of(response)
    assert not Complaint.objects.exists()


def test_new_complaint_elsewhere_is_404_and_observer_403(
    client_for, cycle, village_b1, user_township_a, user_observer
):
    url = reverse("complaint_new", args=[cycle.pk])
    values = {"place": village_b1.code, "type": "other", "channel": "phone", "summary": "x"}
    assert client_for(user_township_a).post(url, values).status_code == 404
    assert client_for(user_observer).get(url).status_code == 403
    assert client_for(user_observer).post(url, values).status_code == 403
    assert not Complaint.objects.exists()


def test_handle_on_the_page(client_for, cycle, complaint_a1, user_township_a, today):
    client = client_for(user_township_a)
    detail = reverse("complaint", args=[cycle.pk, complaint_a1.pk])
    args = [cycle.pk, complaint_a1.pk]
    client.post(
        reverse("complaint_step", args=args), {"action": "走访当事人", "by": "星沙街道纪工委"}
    )
    client.post(reverse("complaint_escalate", args=args), {"note": "涉及多村"})
    response = client.post(reverse("complaint_close", args=args), {"outcome": "substantiated"})
    assert response.status_code == 302
    page = text_of(client.get(detail))
    assert "closed with the measures taken" in page  # refused: no measures
    client.post(
        reverse("complaint_close", args=args),
        {"outcome": "substantiated", "measures": "取消资格", "closed_on": today.isoformat()},
    )
    page = text_of(client.get(detail))
    assert "走访当事人" in page and "星沙街道纪工委" in page
    assert "referred to the county office" in page
    assert "closed: substantiated" in page
    assert "Complaint closed with its outcome" in page  # the history
    client.post(reverse("complaint_reopen", args=args), {"reason": "新线索"})
    client.post(reverse("complaint_change", args=args), {"type": "lobbying"})
    complaint_a1.refresh_from_db()
    assert not complaint_a1.is_closed and complaint_a1.type == "lobbying"


def test_complaint_of_another_township_is_404(client_for, cycle, complaint_a1, user_township_b):
    client = client_for(user_township_b)
    args = [cycle.pk, complaint_a1.pk]
    assert client.get(reverse("complaint", args=args)).status_code == 404
    assert client.post(reverse("complaint_step", args=args), {"action": "x"}).status_code == 404
    assert not complaint_a1.steps.exists()


def test_observer_reads_but_cannot_change(client_for, cycle, complaint_a1, user_observer):
    client = client_for(user_observer)
    args = [cycle.pk, complaint_a1.pk]
    page = text_of(client.get(reverse("complaint", args=args)))
    assert "有人给选民发红包拉票" in page and "Record a step" not in page
    for name, data in [
        ("complaint_step", {"action": "x"}),
        ("complaint_escalate", {}),
        ("complaint_close", {"outcome": "unsubstantiated"}),
        ("complaint_change", {"type": "other"}),
    ]:
        assert client.post(reverse(name, args=args), data).status_code == 403
    complaint_a1.refresh_from_db()
    assert complaint_a1.type == "bribery" and not complaint_a1.steps.exists()


def test_steps_need_post(client_for, cycle, complaint_a1, user_township_a):
    url = reverse("complaint_step", args=[cycle.pk, complaint_a1.pk])
    assert client_for(user_township_a).get(url).status_code == 405


# Incidents


def test_incident_pages(client_for, cycle, village_a1, user_township_a):
    client = client_for(user_township_a)
    response = client.post(
        reverse("incident_new", args=[cycle.pk]),
        {
            "place": village_a1.code,
            "level": "serious",
            "occurred_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "summary": "投票站外聚集上百人",
        },
    )
    incident = Incident.objects.get()
    assert response["Location"] == reverse("incident", args=[cycle.pk, incident.pk])
    page = text_of(client.get(response["Location"]))
    assert "township leading group、county office" in page
    assert "rises at" in page
    args = [cycle.pk, incident.pk]
    client.post(reverse("incident_step", args=args), {"action": "派出所维持秩序"})
    client.post(reverse("incident_escalate", args=args), {"note": "冲突升级"})
    incident.refresh_from_db()
    assert incident.level == "severe"
    client.post(reverse("incident_resolve", args=args), {"resolution": "人群已疏散"})
    incident.refresh_from_db()
    assert incident.is_resolved
    listing = text_of(client.get(reverse("incidents", args=[cycle.pk]), {"level": "severe"}))
    assert "投票站外聚集上百人" in listing and "escalated from" in listing


def test_incident_bad_time_names_the_field(client_for, cycle, village_a1, user_township_a):
    response = client_for(user_township_a).post(
        reverse("incident_new", args=[cycle.pk]),
        {"place": village_a1.code, "level": "general", "occurred_at": "yesterday", "summary": "x"},
    )
    assert response.status_code == 400
    assert "Occurred at must be given as YYYY-MM-DD HH:MM." in text_of(response)


def test_incident_scope(
    client_for, cycle, incident_b1, user_township_a, user_county_admin, user_observer
):
    args = [cycle.pk, incident_b1.pk]
    assert client_for(user_township_a).get(reverse("incident", args=args)).status_code == 404
    assert client_for(user_county_admin).get(reverse("incident", args=args)).status_code == 200
    listing = text_of(client_for(user_township_a).get(reverse("incidents", args=[cycle.pk])))
    assert "抢夺票箱" not in listing
    observer = client_for(user_observer)
    assert "抢夺票箱" in text_of(observer.get(reverse("incidents", args=[cycle.pk])))
    assert (
        observer.post(reverse("incident_resolve", args=args), {"resolution": "x"}).status_code
        == 403
    )


def test_attention_panel(
    client_for, cycle, overdue_a1, incident_b1, user_county_admin, user_township_a
):
    url = reverse("complaints_attention", args=[cycle.pk])
    county = text_of(client_for(user_county_admin).get(url))
    assert 'id="complaints-attention"' in county
    assert county.index("Incident at 黄兴村") < county.index("Complaint no. 1")
    assert "severe" in county and "overdue" in county
    township = text_of(client_for(user_township_a).get(url))
    assert "黄兴村" not in township and "Complaint no. 1" in township


def test_pages_need_a_login(client, cycle):
    response = client.get(reverse("complaints", args=[cycle.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_incident_form_says_whom_each_level_reaches(client_for, cycle, user_county_admin):
    page = text_of(client_for(user_county_admin).get(reverse("incident_new", args=[cycle.pk])))
    assert "reported to the county leading group" in page
    assert 'value="430121000000"' in page and 'value="430121001201001"' not in page


def test_chinese_pages_show_the_chinese_titles(client_for, cycle, complaint_a1, user_township_a):
    client = client_for(user_township_a, language="zh-hans")
    page = text_of(client.get(reverse("complaints", args=[cycle.pk])))
    assert "严禁贿选（含发红包）" in page and "来访" in page
    detail = text_of(client.get(reverse("complaint", args=[cycle.pk, complaint_a1.pk])))
    assert "部分属实" in detail  # the outcome's choices
