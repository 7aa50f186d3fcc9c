"""Registering, withdrawing and publishing entrustments (委托投票, DOMAIN §6) of 金茶村's
vote. 金茶村 votes today (D), so everything before D happens ``today=EVE``."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation
from pypdf import PdfReader

from huanjie.audit.models import Record
from huanjie.cycles.services import RuleViolation
from huanjie.polling import proxies
from huanjie.polling.models import Notice, Proxy

D = timezone.localdate()
EVE = D - timedelta(days=1)


def scan(name="委托书.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.4 signed", content_type="application/pdf")


@pytest.fixture(autouse=True)
def chinese():
    """The rules' messages in Chinese, whatever an earlier test left active."""
    with translation.override("zh-hans"):
        yield


@pytest.fixture
def entrust(election, formal, roll, user_committee_a1, media):
    """entrust(entruster, proxy, relation="sibling") through the service, the day before D."""

    def _entrust(entruster, proxy, relation="sibling", **kw):
        kw.setdefault("authorisation", scan())
        kw.setdefault("signed_on", EVE)
        kw.setdefault("today", EVE)
        return proxies.register(
            user_committee_a1, election, entruster=entruster, proxy=proxy, relation=relation, **kw
        )

    return _entrust


def test_a_spouse_is_registered_with_the_authorisation(entrust, roll):
    line, warnings = entrust("王芳", "王强", "spouse")
    assert (line.entruster, line.proxy, line.relation) == (roll["王芳"], roll["王强"], "spouse")
    assert warnings == []
    assert line.authorisation.name.startswith("proxies/") and line.authorisation.read()
    rec = Record.objects.get(action="polling.proxy_add")
    assert (rec.after["entruster_name"], rec.after["proxy_name"]) == ("王芳", "王强")


def test_a_formal_candidate_cannot_accept(entrust):
    with pytest.raises(RuleViolation) as refused:
        entrust("丁一", "刘伟")
    assert "刘伟是本次选举的候选人，正式候选人不能接受委托" in str(refused.value)
    assert not Proxy.objects.exists()


def test_the_national_limit_is_three(entrust):
    for name in ("丁一", "许静", "陈霞"):
        entrust(name, "朱红")
    with pytest.raises(RuleViolation, match="不得超过3人"):
        entrust("张勇", "朱红")
    assert Proxy.objects.filter(proxy__name="朱红").count() == 3


def test_the_hunan_limit_is_five(entrust, cycle):
    cycle.profile = "hunan"
    cycle.save()
    for name in ("丁一", "许静", "陈霞", "张勇", "石磊"):
        entrust(name, "朱红")
    with pytest.raises(RuleViolation, match="朱红已接受5人委托，每一选民接受委托不得超过5人"):
        entrust("王强", "朱红")
    assert Proxy.objects.count() == 5


def test_one_entrustment_each_and_no_chains(entrust):
    entrust("丁一", "朱红")
    with pytest.raises(RuleViolation, match="已委托朱红"):
        entrust("丁一", "许静")
    with pytest.raises(RuleViolation, match="丁一本人已委托"):
        entrust("许静", "丁一")
    with pytest.raises(RuleViolation, match="不能再委托他人"):
        entrust("朱红", "许静")


def test_a_relation_the_family_records_contradict_is_a_warning(entrust):
    line, warnings = entrust("王芳", "王强", "sibling")
    assert [w.code for w in warnings] == ["proxies.relation_disagrees"]
    assert "配偶" in warnings[0].message_zh
    assert Record.objects.get(action="polling.proxy_add").after["warnings"] == [
        "proxies.relation_disagrees"
    ]


def test_a_relation_outside_the_local_scope_is_refused(entrust, cycle, county):
    from huanjie.cycles.models import ProfileOverride

    ProfileOverride.objects.create(
        cycle=cycle, place=county, parameter="proxy_relations", value=["spouse", "parent"]
    )
    with pytest.raises(RuleViolation, match="兄弟姐妹"):
        entrust("丁一", "许静", "sibling")
    entrust("张勇", "石磊", "parent")


def test_the_written_authorisation_is_required(entrust):
    with pytest.raises(RuleViolation, match="authorisation|委托书"):
        entrust("丁一", "朱红", authorisation=None)
    with pytest.raises(RuleViolation, match="委托书.docx"):
        entrust("丁一", "朱红", authorisation=scan("委托书.docx"))
    entrust("丁一", "朱红", authorisation=scan("委托书.JPG"))
    with pytest.raises(RuleViolation):
        entrust("许静", "朱红", signed_on=D)  # after the day it is registered


def test_nothing_is_registered_on_election_day(entrust):
    with pytest.raises(RuleViolation, match="§6"):
        entrust("丁一", "朱红", today=D)


def test_withdrawn_before_d_only(entrust, user_committee_a1):
    line, _warnings = entrust("丁一", "朱红")
    with pytest.raises(RuleViolation, match="§6"):
        proxies.withdraw(user_committee_a1, line, today=D)
    proxies.withdraw(user_committee_a1, line, "本人回村投票", today=EVE)
    assert not Proxy.objects.exists()
    rec = Record.objects.get(action="polling.proxy_withdraw")
    assert (rec.before["entruster_name"], rec.after["reason"]) == ("丁一", "本人回村投票")


def test_the_list_is_published_before_d(entrust, election, user_committee_a1):
    with pytest.raises(RuleViolation):  # nothing to publish
        proxies.publish(user_committee_a1, election, EVE, today=EVE)
    entrust("丁一", "朱红")
    entrust("王芳", "王强", "spouse")
    assert proxies.changed_since_posted(election)
    notice = proxies.publish(user_committee_a1, election, EVE, today=EVE)
    assert (notice.kind, notice.published_on, len(notice.people)) == ("proxies", EVE, 2)
    assert not proxies.changed_since_posted(election)
    with notice.file.open("rb") as f:
        reader = PdfReader(io.BytesIO(f.read()))
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    assert "委托投票名单公告" in text
    for name in ("丁一", "朱红", "王芳", "王强", "配偶", "不得超过3人"):
        assert name in text
    assert Record.objects.get(action="polling.proxy_list_published").after["entrustments"] == 2
    entrust("许静", "朱红")
    assert proxies.changed_since_posted(election)


def test_no_list_published_on_or_after_d(entrust, election, user_committee_a1):
    entrust("丁一", "朱红")
    with pytest.raises(RuleViolation, match="§6"):
        proxies.publish(user_committee_a1, election, D, today=D)
    with pytest.raises(RuleViolation):  # a future day
        proxies.publish(user_committee_a1, election, EVE, today=EVE - timedelta(days=1))
    assert not Notice.objects.exists()


def test_search_by_name_or_number(entrust, election, roll):
    entrust("丁一", "朱红")
    entrust("王芳", "王强", "spouse")
    assert [p.entruster.name for p in proxies.entrustments(election, "王")] == ["王芳"]
    number = str(roll["朱红"].number)
    assert [p.entruster.name for p in proxies.entrustments(election, number)] == ["丁一"]
    assert proxies.entrustments(election).count() == 2
