"""The counts the database keeps itself (huanjie.counts): the roll by status, category
and source, the check-ins by poll, station, proxy and helper — whoever writes the rows,
the services one by one or the bulk helpers in one statement."""

from collections import Counter

import pytest
from django.db import connection
from django.db.models import Count

from huanjie import bulk
from huanjie.polling import checkin
from huanjie.polling.models import CHECK_INS_COUNTED, CheckIn, CheckInCount
from huanjie.voters.models import ROLL_COUNTED, Category, RollCount, Voter


def differences(counted):
    with connection.cursor() as cursor:
        cursor.execute(counted.differences())
        return cursor.fetchall()


def recount(counted):
    with connection.cursor() as cursor:
        for sql in counted.recount():
            cursor.execute(sql)


def kept_roll(place):
    return Counter(
        {
            (status, category, source): n
            for status, category, source, n in RollCount.objects.filter(
                place=place, n__gt=0
            ).values_list("status", "category", "source", "n")
        }
    )


def true_roll(place):
    return Counter(
        {
            (status, category, source): n
            for status, category, source, n in Voter.objects.filter(place=place)
            .values_list("status", "category", "source")
            .annotate(n=Count("*"))
            .order_by()
        }
    )


def kept_check_ins(poll):
    return Counter(
        {
            (station, bool(proxy), bool(assisted)): n
            for station, proxy, assisted, n in CheckInCount.objects.filter(
                poll=poll, n__gt=0
            ).values_list("station_id", "by_proxy", "assisted", "n")
        }
    )


LISTED, REMOVED = Voter.Status.LISTED, Voter.Status.REMOVED
HERE = Category.RESIDENT_REGISTERED
ROLL = Voter.Source.ROLL


def test_the_roll_built_in_bulk_is_counted(roll, village_a1):
    assert kept_roll(village_a1) == {(LISTED, HERE, ROLL): 12} == true_roll(village_a1)
    assert differences(ROLL_COUNTED) == []


def test_a_line_changed_moved_or_deleted_moves_its_count(roll, village_a1, community_a2):
    wang, li = roll["王芳"], roll["李军"]
    Voter.objects.filter(pk=wang.pk).update(status=REMOVED)
    Voter.objects.filter(pk=li.pk).update(place=community_a2, number=9001)
    Voter.objects.filter(pk=roll["张勇"].pk).update(name="张永")  # not a counted column
    assert kept_roll(village_a1) == {(LISTED, HERE, ROLL): 10, (REMOVED, HERE, ROLL): 1}
    assert kept_roll(community_a2) == {(LISTED, HERE, ROLL): 1}

    Voter.objects.filter(pk=wang.pk).delete()
    bulk.delete(Voter.objects.filter(place=community_a2))
    assert kept_roll(village_a1) == {(LISTED, HERE, ROLL): 10}
    assert kept_roll(community_a2) == {}
    assert differences(ROLL_COUNTED) == []


def test_check_ins_are_counted_as_issued_and_taken_back(
    poll, roll, central, box, entrusted, user_committee_a1
):
    issue = checkin.issue
    li = issue(user_committee_a1, poll, roll["李军"], central, assisted=True)
    issue(user_committee_a1, poll, roll["丁一"], central)
    issue(user_committee_a1, poll, roll["陈霞"], box)
    issue(user_committee_a1, poll, roll["王芳"], central, proxy=entrusted)
    assert kept_check_ins(poll) == {
        (central.id, False, True): 1,
        (central.id, False, False): 1,
        (box.id, False, False): 1,
        (central.id, True, False): 1,
    }
    checkin.undo(user_committee_a1, li, "点错了")
    CheckIn.objects.filter(voter=roll["丁一"]).update(assisted=True)
    assert kept_check_ins(poll) == {
        (central.id, False, True): 1,
        (box.id, False, False): 1,
        (central.id, True, False): 1,
    }
    assert differences(CHECK_INS_COUNTED) == []


def test_check_ins_written_in_bulk_are_counted(poll, roll, central, user_committee_a1):
    rows = [
        (poll.id, voter.id, central.id, None, k % 3 == 0, user_committee_a1.id, "2026-11-22")
        for k, voter in enumerate(roll.values())
    ]
    bulk.insert(
        CheckIn,
        ("poll_id", "voter_id", "station_id", "proxy_id", "assisted", "user_id", "at"),
        rows,
    )
    assert kept_check_ins(poll) == {(central.id, False, True): 4, (central.id, False, False): 8}
    bulk.delete(CheckIn.objects.filter(poll=poll, assisted=True))
    assert kept_check_ins(poll) == {(central.id, False, False): 8}
    assert differences(CHECK_INS_COUNTED) == []


@pytest.mark.parametrize("counted", [ROLL_COUNTED, CHECK_INS_COUNTED], ids=["roll", "check-ins"])
def test_a_wrong_count_is_found_and_mended_by_counting_afresh(
    counted, roll, poll, central, user_committee_a1
):
    checkin.issue(user_committee_a1, poll, roll["李军"], central)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {counted.counts} SET n = n + 5")
    wrong = differences(counted)
    assert wrong and all(kept == true + 5 for *_key, kept, true in wrong)
    recount(counted)
    assert differences(counted) == []
