"""Test data of the first plenary and the two committees (imported by name: test module
basenames are unique): 金茶村's members' meeting elects a committee of five, which
then holds its first plenary."""

from django.utils import timezone

from huanjie.candidates.models import Candidate
from huanjie.cycles.models import Office
from huanjie.party import plenary
from huanjie.polling import counting, outcomes, polls
from huanjie.polling.models import Poll, Winner

#: The members' meeting: ten due, nine present, six votes elect; 石磊 is not elected.
VOTES = {"丁一": 9, "王芳": 9, "刘伟": 8, "吴丽": 7, "王强": 7, "石磊": 3}
#: The committee of five, in 姓氏笔画 order.
COMMITTEE = ("丁一", "王芳", "王强", "刘伟", "吴丽")


def elect_committee(user, election, members):
    """Five seats (书记, 副书记, three 委员) and two more formal candidates, 王强 and
    石磊; the meeting's vote counted from the tally sheet and confirmed."""
    Office.objects.filter(election=election, key="member").update(seats=3)
    for name in ("王强", "石磊"):
        Candidate.objects.create(
            election=election,
            office="member",
            resident=members[name].resident,
            status=Candidate.Status.FORMAL,
            source=Candidate.Source.RECOMMENDATION,
        )
    poll = polls.open_first(
        user,
        election,
        held_on=timezone.localdate(),
        due=10,
        present=9,
        method=Poll.Method.TOTALS,
    )
    ids = {c["name"]: c["id"] for c in poll.candidates}
    counting.enter_totals(user, poll, {"member": {ids[n]: v for n, v in VOTES.items()}})
    counting.compute(user, poll)
    return outcomes.confirm(user, poll)


def hold_plenary(user, election, *, present=5, secretary=5, deputy=4):
    """The plenary, 丁一 for 书记 and 王芳 for 副书记 (the recommended ones), votes in."""
    held = plenary.open_plenary(user, election, held_on=timezone.localdate(), present=present)
    return plenary.enter_votes(
        user,
        held,
        counts={"secretary": {"丁一": secretary}, "deputy_secretary": {"王芳": deputy}},
    )


def committee_winners(election, user, people):
    """A confirmed vote of a 居/村委会 election that elected ``people``: (name, office,
    resident) — written as the count would have left it, without the count."""
    poll = Poll.objects.create(
        election=election,
        round=Poll.Round.FIRST,
        held_on=timezone.localdate(),
        electorate=100,
        offices=[{"id": o.key, "title": o.title, "seats": o.seats} for o in election.offices.all()],
        candidates=[],
        state=Poll.State.CONFIRMED,
        user=user,
    )
    for name, office, resident in people:
        candidate = Candidate.objects.create(
            election=election,
            office=office,
            resident=resident,
            status=Candidate.Status.FORMAL,
            source=Candidate.Source.NOMINATION,
        )
        Winner.objects.create(
            poll=poll,
            office=office,
            who=f"c{candidate.pk}",
            name=name,
            votes=60,
            candidate=candidate,
        )
    return poll
