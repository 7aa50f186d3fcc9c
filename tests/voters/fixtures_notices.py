"""Fixtures of the notices, objections, voter cards and 补登 tests: 金茶村 (village_a1)
with its roll built from ``people`` (tests/voters/conftest.py), its election committee
in place and, with ``posted``, its voter list posted exactly 20 days before D.

金茶村's roll: 王小明 and 张伟 (第一村民小组), 李华 (第二村民小组), 王晓梅, 赵敏 and 钱进
(no group). Dates are relative to today, because a notice cannot be dated in the future:
``posted`` posts on today − 10 with D = today + 10, so the objection window (national
profile, 5 days) runs from today − 10 to today − 5.

Import the fixtures a test module uses from here (``from fixtures_notices import …``).
"""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from huanjie.cycles.models import Election, Step, StepStatus
from huanjie.voters import publication
from huanjie.voters.models import Conflict

#: Steps the posting of the list depends on (huanjie.rules.timeline).
BEFORE_THE_LIST = ("financial_audit", "election_plan", "election_committee")


def today():
    return timezone.localdate()


def days(n: int):
    """Today plus ``n`` days."""
    return today() + timedelta(days=n)


def set_election_day(cycle, place, day):
    Election.objects.filter(cycle=cycle, place=place).update(election_day=day)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def pdf_pages(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def stored_text(pub) -> str:
    with pub.file.open("rb") as f:
        return pdf_text(f.read())


@pytest.fixture
def media(settings, tmp_path):
    """Posted PDFs go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def committee_ready(cycle, village_a1):
    """金茶村's audit, plan and election committee signed off 40 days ago."""
    for key in BEFORE_THE_LIST:
        Step.objects.create(
            cycle=cycle, place=village_a1, key=key, status=StepStatus.DONE, done_on=days(-40)
        )


@pytest.fixture
def roll_a1(rolls_built):
    """The county's rolls with the township's decisions taken on every conflict."""
    Conflict.objects.update(status=Conflict.Status.RESOLVED)
    return rolls_built


@pytest.fixture
def post_list(cycle, village_a1, user_committee_a1, roll_a1, committee_ready, media):
    """post_list(published_on, election_day) posts 金茶村's list as its committee."""

    def _post(published_on, election_day):
        set_election_day(cycle, village_a1, election_day)
        return publication.publish_list(user_committee_a1, cycle, village_a1, published_on)

    return _post


@pytest.fixture
def posted(post_list):
    """金茶村's list posted on today − 10, D = today + 10."""
    return post_list(days(-10), days(10))
