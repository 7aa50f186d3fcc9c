"""The handover checklist's services: seed items, ticks, signatures, the form."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from pypdf import PdfReader

from huanjie.audit.models import Record
from huanjie.cycles.services import RuleViolation
from huanjie.handover import checklist
from huanjie.handover.models import Handover


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_checklist_starts_with_the_five_seed_items_once(handover, user_committee_a1):
    assert [i.title for i in handover.items.all()] == [
        "印章",
        "账目/财务",
        "资产",
        "档案",
        "债权债务",
    ]
    again = checklist.start(user_committee_a1, handover.cycle, handover.place)
    assert again == handover and handover.items.count() == 5
    assert Record.objects.filter(action="handover.start").count() == 1


def test_signing_is_refused_while_an_item_is_open(handover, user_township_a, english):
    with pytest.raises(RuleViolation, match="not yet ticked by both sides.*印章"):
        checklist.sign(user_township_a, handover, "outgoing", "张三")
    handover.refresh_from_db()
    assert not handover.signed("outgoing")


def test_both_sides_sign_once_each_and_the_step_is_signed_off(
    ticked, user_township_a, user_committee_a1, english
):
    yesterday = timezone.localdate() - timedelta(days=1)
    checklist.sign(user_township_a, ticked, "outgoing", "张三", yesterday)
    with pytest.raises(RuleViolation, match="already signed"):
        checklist.sign(user_township_a, ticked, "outgoing", "张三")
    checklist.sign(user_township_a, ticked, "incoming", " 李四 ")
    ticked.refresh_from_db()
    assert ticked.complete
    assert (ticked.outgoing_name, ticked.outgoing_signed_on) == ("张三", yesterday)
    assert ticked.incoming_name == "李四"
    assert ticked.outgoing_recorded_by == user_township_a
    assert ticked.incoming_recorded_at is not None
    records = Record.objects.filter(action="handover.sign").order_by("seq")
    assert [r.after["side"] for r in records] == ["outgoing", "incoming"]
    assert records[0].place_code == ticked.place.code


def test_the_handover_step_is_signed_off_on_the_later_signature(
    ticked, user_township_a, monkeypatch
):
    asked = []
    monkeypatch.setattr(
        checklist, "sign_off_when_ready", lambda user, cycle, place, done: asked.append(done)
    )
    today = timezone.localdate()
    checklist.sign(user_township_a, ticked, "outgoing", "张三", today - timedelta(days=2))
    assert asked == []
    checklist.sign(user_township_a, ticked, "incoming", "李四", today - timedelta(days=1))
    assert asked == [{"handover": today - timedelta(days=1)}]


def test_a_signed_list_cannot_change(ticked, user_township_a, user_committee_a1, english):
    checklist.sign(user_township_a, ticked, "outgoing", "张三")
    item = ticked.items.first()
    with pytest.raises(RuleViolation, match="has been signed"):
        checklist.tick(user_committee_a1, item, "incoming", False)
    with pytest.raises(RuleViolation, match="has been signed"):
        checklist.add_item(user_committee_a1, ticked, "公章")
    with pytest.raises(RuleViolation, match="has been signed"):
        checklist.remove_item(user_committee_a1, item)


def test_changing_an_item_clears_its_ticks(ticked, user_committee_a1):
    item = ticked.items.get(key="seals")
    checklist.change_item(user_committee_a1, item, title="印章", description="公章1枚", count=1)
    item.refresh_from_db()
    assert (item.outgoing_checked, item.incoming_checked) == (False, False)
    assert item.description == "公章1枚"
    checklist.tick(user_committee_a1, item, "outgoing")
    checklist.change_item(
        user_committee_a1, item, title="印章", description="公章1枚", count=1, note="x"
    )
    item.refresh_from_db()
    assert item.outgoing_checked  # only the note changed


def test_an_item_needs_a_title_and_a_whole_count(handover, user_committee_a1, english):
    with pytest.raises(RuleViolation, match="needs a title"):
        checklist.add_item(user_committee_a1, handover, " ")
    with pytest.raises(RuleViolation, match="whole number"):
        checklist.add_item(user_committee_a1, handover, "现金", count="三")
    with pytest.raises(RuleViolation, match="cannot be negative"):
        checklist.add_item(user_committee_a1, handover, "现金", count=-2)
    item = checklist.add_item(user_committee_a1, handover, "现金", "现金及存款", "2", "见清单")
    assert (item.count, item.rank) == (2, 5)


def test_who_may_do_what(handover, user_committee_a1, user_observer, user_township_b):
    item = handover.items.first()
    with pytest.raises(PermissionDenied):
        checklist.tick(user_observer, item, "outgoing")
    with pytest.raises(Http404):
        checklist.tick(user_township_b, item, "outgoing")
    # The committee prepares the list; the signatures are the township's to record.
    with pytest.raises(PermissionDenied):
        checklist.sign(user_committee_a1, handover, "outgoing", "张三")


def test_only_a_village_or_community_hands_over(cycle, township_a, user_township_a):
    with pytest.raises(RuleViolation):
        checklist.start(user_township_a, cycle, township_a)
    assert not Handover.objects.exists()


def test_the_form_lists_the_items_and_both_signature_lines(
    ticked, user_township_a, user_committee_a1
):
    item = ticked.items.get(key="seals")
    checklist.change_item(user_committee_a1, item, title="印章", description="村委会公章", count=2)
    checklist.set_details(
        user_committee_a1, ticked, handed_on=timezone.localdate(), supervisor="赵监交"
    )
    text = pdf_text(checklist.form_pdf(ticked))
    assert "金茶村新老班子交接清单" in text
    for title in ("印章", "账目/财务", "资产", "档案", "债权债务", "村委会公章"):
        assert title in text
    assert "移交方（上届班子）签字" in text and "接收方（新一届班子）签字" in text
    assert "赵监交" in text and "第 1 页 共 1 页" in text
    checklist.tick(user_committee_a1, item, "outgoing")
    checklist.tick(user_committee_a1, item, "incoming")
    checklist.sign(user_township_a, ticked, "outgoing", "张三")
    text = pdf_text(checklist.form_pdf(ticked))
    assert "张三" in text and "系统登记：township_a" in text


def test_a_long_list_runs_on_to_more_pages(handover, user_committee_a1):
    for n in range(40):
        checklist.add_item(user_committee_a1, handover, f"档案{n}", "会议记录" * 10, n)
    text = pdf_text(checklist.form_pdf(handover))
    assert "共 3 页" in text or "共 4 页" in text
    assert "（续）" in text and "档案39" in text
