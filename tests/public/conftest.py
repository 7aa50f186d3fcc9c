"""Fixtures of the public pages: posted notices and a posted roll of 金茶村 (village_a1).

The records are written directly, as the posting services leave them (each record is
a posted notice, see huanjie.public.notices), with small stand-in PDFs.

金茶村's roll in ``cycle``: 王小明 (number 1) and 李华 (2) from the roll, 张伟 (3)
added by an upheld objection, 赵敏 (4) at the 补登 desk, 钱进 (5) removed; its voter
list is posted with ``posted_roll``. 松雅社区 (community_a2) has 陈静 (1) on a roll that is
not posted.
"""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from huanjie.candidates.models import Notice as CandidateNotice
from huanjie.polling.models import Notice as PollingNotice
from huanjie.polling.models import Station
from huanjie.rules.identity import make_id
from huanjie.voters.models import Objection, Publication, Voter

PDF = b"%PDF-1.4\n% posted notice\n"


def pdf(name: str) -> ContentFile:
    return ContentFile(PDF, name=name)


def today():
    return timezone.localdate()


def ago(days: int):
    return today() - timedelta(days=days)


@pytest.fixture
def publisher(user_committee_a1):
    return user_committee_a1


@pytest.fixture
def post_publication(cycle, publisher, media):
    """post_publication(place, kind, on) → a posted roll notice."""

    def _post(place, kind=Publication.Kind.VOTER_LIST, on=None):
        return Publication.objects.create(
            cycle=cycle,
            place=place,
            kind=kind,
            published_on=on or ago(10),
            voters=2,
            file=pdf(f"{place.code}-{kind}.pdf"),
            user=publisher,
        )

    return _post


@pytest.fixture
def post_candidates(publisher, media):
    """post_candidates(election, kind, on) → a posted candidates' notice."""

    def _post(election, kind=CandidateNotice.Kind.FORMAL, on=None):
        return CandidateNotice.objects.create(
            election=election,
            kind=kind,
            published_on=on or ago(5),
            file=pdf(f"{election.place.code}-{kind}.pdf"),
            user=publisher,
        )

    return _post


@pytest.fixture
def post_polling(publisher, media):
    """post_polling(election, kind, on, station) → a posted election-day notice."""

    def _post(election, kind=PollingNotice.Kind.PROXIES, on=None, station=None):
        return PollingNotice.objects.create(
            election=election,
            kind=kind,
            station=station,
            published_on=on or ago(2),
            file=pdf(f"{election.place.code}-{kind}.pdf"),
            user=publisher,
        )

    return _post


@pytest.fixture
def mobile_box(election_a1, publisher):
    return Station.objects.create(
        election=election_a1, kind=Station.Kind.MOBILE_BOX, name="流动票箱一", user=publisher
    )


# The roll


def person_id(n: int, sex: str = "M", born: date = date(1980, 5, 5)) -> str:
    return make_id("430121", born, 2 * n, sex)


@pytest.fixture
def add_voter(cycle):
    """add_voter(place, number, name, sex, source, status) → a line of the roll."""

    def _add(place, number, name, sex="M", source=Voter.Source.ROLL, status=None):
        return Voter.objects.create(
            cycle=cycle,
            place=place,
            number=number,
            id_number=person_id(number + (100 if place.kind == "community" else 0), sex),
            name=name,
            sex=sex,
            birth_date=date(1980, 5, 5),
            category="户在人在",
            source=source,
            status=status or Voter.Status.LISTED,
        )

    return _add


@pytest.fixture
def roll_a1(village_a1, add_voter):
    """金茶村's roll, by name."""
    return {
        "王小明": add_voter(village_a1, 1, "王小明"),
        "李华": add_voter(village_a1, 2, "李华", "F"),
        "张伟": add_voter(village_a1, 3, "张伟", source=Voter.Source.OBJECTION),
        "赵敏": add_voter(village_a1, 4, "赵敏", "F", source=Voter.Source.SUPPLEMENTARY),
        "钱进": add_voter(village_a1, 5, "钱进", status=Voter.Status.REMOVED),
    }


@pytest.fixture
def roll_a2(community_a2, add_voter):
    """松雅社区's roll, never posted."""
    return {"陈静": add_voter(community_a2, 1, "陈静", "F")}


@pytest.fixture
def posted_roll(roll_a1, village_a1, post_publication):
    """金茶村's voter list posted (after the roll was built)."""
    post_publication(village_a1)
    return roll_a1


@pytest.fixture
def objection_for(cycle, village_a1, publisher):
    """objection_for(voter, published) → the upheld objection that added ``voter``."""

    def _objection(voter, published=None):
        return Objection.objects.create(
            cycle=cycle,
            place=village_a1,
            kind=Objection.Kind.OMITTED,
            voter=voter,
            subject_name=voter.name,
            subject_id_number=voter.id_number,
            objector=voter.name,
            reason="漏登",
            filed_on=ago(8),
            filed_by=publisher,
            status=Objection.Status.UPHELD,
            decided_on=ago(7),
            decided_by=publisher,
            published=published,
        )

    return _objection


@pytest.fixture
def limits(settings):
    """The self-check allows 3 tries in 60 seconds."""
    settings.PUBLIC_CHECK_LIMIT = 3
    settings.PUBLIC_CHECK_WINDOW = 60
    return settings
