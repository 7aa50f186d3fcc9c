"""The consistency checks find a place whose numbers disagree, with the reason, and
say nothing of honest figures (DOMAIN §11)."""

from huanjie.party.models import Attendance
from huanjie.polling.models import BoxCount, Winner
from huanjie.reports import checks, statistics
from huanjie.voters.models import Voter


def codes(found):
    return {d.place.code: sorted(f.code for f in d.findings) for d in found}


def test_honest_records_have_no_disagreement(built, cycle, county):
    assert checks.disagreements(statistics.compute(cycle, county)) == []


def test_a_deliberately_broken_place_is_listed_with_its_reasons(built, cycle, county):
    a1 = built["a1"]
    # More checked in than are on the roll: voters struck off after voting.
    Voter.objects.filter(place=a1, number__lte=8).update(status=Voter.Status.REMOVED)
    # The box sheet says one ballot more than the desk handed out.
    BoxCount.objects.filter(poll=built["first_a1"], station=built["central_a1"]).update(issued=13)
    # The meeting recorded eight present, one check-in is gone.
    Attendance.objects.filter(meeting=built["meeting"]).first().delete()
    # A sixth winner on three member seats of the first vote.
    Winner.objects.create(poll=built["first_a1"], office="member", who="多出", name="多出", votes=1)
    found = checks.disagreements(statistics.compute(cycle, county))
    assert codes(found) == {
        a1.code: [
            "statistics.issued_differs_from_check_ins",
            "statistics.part_exceeds_whole",
            "statistics.part_exceeds_whole",
            "statistics.present_differs_from_attendance",
            "statistics.winners_exceed_seats",
        ],
        # and its township, which has one member more than seats in all
        a1.parent.code: ["statistics.part_exceeds_whole"],
    }
    [place] = [d for d in found if d.place == a1]
    parts = {f.params.get("part") for f in place.findings}
    assert parts >= {"voted", "elected"}


def test_a_breakdown_that_does_not_add_up_is_found_at_the_level(built, cycle, county):
    report = statistics.compute(cycle, county)
    report.rows[0].figures.sex["F"] += 1  # as a hand-made report would
    found = codes(checks.check_report(report))
    assert found == {
        report.rows[0].place.code: [
            "statistics.breakdown_does_not_add_up",
            "statistics.total_differs_from_rows",
        ],
        county.code: ["statistics.total_differs_from_rows"],
    }
    assert checks.check_place(report.places[0]) == []
