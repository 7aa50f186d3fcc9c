import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction

from huanjie.audit import trail
from huanjie.audit.models import Record
from huanjie.places.models import Kind, Place

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return Place.objects.create(code="430121000000", name="长沙县", kind=Kind.COUNTY)


@pytest.fixture
def user():
    return User.objects.create_user("clerk", password="x" * 12)


def write_three(user, place):
    for n in range(3):
        trail.record(user, "place.update", place, before={"n": n}, after={"n": n + 1}, place=place)


def test_records_form_a_chain_that_verifies(user, place):
    write_three(user, place)
    records = list(Record.objects.order_by("seq"))
    assert [r.seq for r in records] == [1, 2, 3]
    assert records[1].previous_hash == records[0].hash
    assert records[0].username == "clerk" and records[0].place_code == "430121000000"
    assert trail.verify() is None


def test_the_database_refuses_to_change_or_remove_a_record(user, place):
    write_three(user, place)
    with pytest.raises(DatabaseError), transaction.atomic():
        Record.objects.filter(seq=2).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        Record.objects.filter(seq=3).delete()
    assert Record.objects.count() == 3


def _without_triggers(sql):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER audit_record_no_update")
            cursor.execute("DROP TRIGGER audit_record_no_delete")
        else:
            cursor.execute("DROP TRIGGER audit_record_append_only ON audit_record")
        cursor.execute(sql)


def test_verify_names_the_first_changed_record(user, place):
    write_three(user, place)
    _without_triggers("UPDATE audit_record SET action = 'forged' WHERE seq = 2")
    broken = trail.verify()
    assert (broken.seq, broken.problem) == (2, "hash")


def test_verify_names_the_record_after_a_removed_one(user, place):
    write_three(user, place)
    _without_triggers("DELETE FROM audit_record WHERE seq = 2")
    broken = trail.verify()
    assert (broken.seq, broken.problem) == (3, "previous_hash")


def test_history_is_scoped_to_a_place_and_newest_first(user, place):
    other = Place.objects.create(code="430102000000", name="芙蓉区", kind=Kind.COUNTY)
    write_three(user, place)
    trail.record(user, "place.update", other, place=other)
    seqs = [r.seq for r in trail.history(place=place)]
    assert seqs == [3, 2, 1]
