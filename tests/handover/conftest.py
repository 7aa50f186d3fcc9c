"""Fixtures of the handover tests: 金茶村 (village_a1) with its handover checklist, and
a few stored documents, roll lines, a candidate and audit records for its archive."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from huanjie.audit.trail import record
from huanjie.candidates.models import Candidate
from huanjie.candidates.models import Notice as CandidateNotice
from huanjie.cycles.models import Step, StepDocument
from huanjie.handover import checklist
from huanjie.rules.identity import make_id
from huanjie.voters.models import Publication, Resident, Voter

A1 = "430121001201"

PEOPLE = [("王芳", "F", 1980), ("张勇", "M", 1975), ("李强", "M", 1990)]


@pytest.fixture
def handover(cycle, village_a1, user_committee_a1):
    """金茶村's checklist with the five seed items, started by its committee."""
    return checklist.start(user_committee_a1, cycle, village_a1)


@pytest.fixture
def ticked(handover, user_committee_a1):
    """Every item ticked by both sides."""
    for item in handover.items.all():
        checklist.tick(user_committee_a1, item, "outgoing")
        checklist.tick(user_committee_a1, item, "incoming")
    return handover


@pytest.fixture
def stored(cycle, village_a1, group_a1_1, election_a1, user_committee_a1, media):
    """What the system holds for 金茶村: three roll lines, a candidate, the posted voter
    list and the formal candidates' notice (PDFs in the media folder), a paper attached
    to a step, and audit records."""
    residents = []
    for i, (name, sex, year) in enumerate(PEOPLE):
        born = date(year, 3, 1 + i)
        resident = Resident.objects.create(
            id_number=make_id(A1[:6], born, 2 * (i + 1), sex),
            name=name,
            sex=sex,
            birth_date=born,
            household_code=A1,
            residence_code=A1,
        )
        residents.append(resident)
        Voter.objects.create(
            cycle=cycle,
            place=village_a1,
            resident=resident,
            number=i + 1,
            id_number=resident.id_number,
            name=name,
            sex=sex,
            birth_date=born,
            category="户在人在",
            group=group_a1_1,
            source=Voter.Source.ROLL,
        )
    Candidate.objects.create(
        election=election_a1,
        office="director",
        resident=residents[0],
        status=Candidate.Status.FORMAL,
        source=Candidate.Source.NOMINATION,
        votes=120,
    )
    today = timezone.localdate()
    publication = Publication(
        cycle=cycle,
        place=village_a1,
        kind=Publication.Kind.VOTER_LIST,
        published_on=today - timedelta(days=10),
        voters=3,
        user=user_committee_a1,
    )
    publication.file.save("voter-list.pdf", ContentFile(b"%PDF-1.4 voter list"), save=True)
    notice = CandidateNotice(
        election=election_a1,
        kind=CandidateNotice.Kind.FORMAL,
        published_on=today - timedelta(days=5),
        user=user_committee_a1,
    )
    notice.file.save("formal.pdf", ContentFile(b"%PDF-1.4 formal candidates"), save=True)
    step = Step.objects.create(cycle=cycle, place=village_a1, key="survey")
    doc = StepDocument(step=step, name="工作方案.pdf", sha256="", uploaded_by=user_committee_a1)
    doc.file.save("plan.pdf", ContentFile(b"%PDF-1.4 plan"), save=True)
    record(user_committee_a1, "step.attach", step, after={"document": doc.name}, place=village_a1)
    return {"publication": publication, "notice": notice, "step_document": doc}
