"""The party roster's services: who votes, the organisation advice, the import (all
or nothing, with problems naming row and column), re-import, edits and removals, and
who may do them."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from openpyxl import Workbook

from huanjie.audit.models import Record
from huanjie.cycles.services import RuleViolation
from huanjie.party import roster
from huanjie.party.models import Member, Organisation
from huanjie.rules import members as rules
from huanjie.rules.identity import make_id
from huanjie.voters.models import Resident

HEADER = ",".join(
    [
        "姓名",
        "公民身份号码",
        "党员类别",
        "入党日期",
        "留党察看",
        "被羁押/逮捕",
        "组织关系所在",
        "所在支部/党小组",
        "干部",
        "生产一线",
    ]
)


def csv_file(*lines: str) -> bytes:
    return ("\ufeff" + "\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8")


def line(person, status="正式党员", joined="2010-07-01", sanction="否", suspended="否", **more):
    return ",".join(
        [
            person.name,
            person.id_number,
            status,
            joined,
            sanction,
            suspended,
            more.get("location", ""),
            more.get("cell", "第一党小组"),
            more.get("cadre", "否"),
            more.get("front_line", "是"),
        ]
    )


@pytest.fixture
def fresh(branch, residents):
    """金茶村党支部 with nobody on its roster yet."""
    return branch


# -- who votes ------------------------------------------------------------------------


def test_the_vote_query_says_what_the_rule_says(members):
    voting = set(Member.objects.filter(roster.VOTING).values_list("pk", flat=True))
    assert voting == {m.pk for m in members.values() if rules.has_vote(m.as_rule())}
    assert len(voting) == 10


def test_the_reason_without_a_vote(members, english):
    assert roster.no_vote_reason(members["许静"]) == "probationary"
    assert roster.no_vote_reason(members["李军"]) == "probation_sanction"
    assert roster.no_vote_reason(members["丁一"]) is None
    assert "probationary" in roster.reason_text("probationary")
    assert roster.reason_text(None) == ""


def test_the_advice_follows_the_number_of_members(members, branch, english):
    advice = roster.advice(branch)
    assert (advice.members, advice.voting, advice.advised, advice.differs) == (
        12,
        10,
        "branch",
        False,
    )
    assert advice.message == ""
    branch.kind = Organisation.Kind.GENERAL_BRANCH
    advice = roster.advice(branch)
    assert advice.differs
    assert "12 members" in advice.message and "party branch" in advice.message


def test_fifty_members_suggest_a_general_branch(village_a1, english):
    big = Organisation.objects.create(place=village_a1, name="大党支部", kind="branch")
    for i in range(50):
        person = Resident.objects.create(
            id_number=make_id("430121", date(1970, 1, 1 + i % 28), 100 + i, "M"),
            name=f"党员{i}",
            sex="M",
            birth_date=date(1970, 1, 1 + i % 28),
            household_code="430121001201",
            residence_code="430121001201",
        )
        Member.objects.create(
            organisation=big, resident=person, status="full", joined_on=date(2000, 1, 1)
        )
    [advice] = [roster.advice(o) for o in roster.organisations_of(village_a1)]
    assert advice.advised == "general_branch" and advice.differs
    assert "general branch" in advice.message


def test_changing_the_kind_is_recorded(branch, user_township_a):
    roster.set_kind(user_township_a, branch, "general_branch")
    branch.refresh_from_db()
    assert branch.kind == "general_branch"
    rec = Record.objects.get(action="party.organisation_kind")
    assert (rec.before, rec.after) == ({"kind": "branch"}, {"kind": "general_branch"})


def test_an_observer_cannot_change_the_kind(branch, user_observer):
    with pytest.raises(PermissionDenied):
        roster.set_kind(user_observer, branch, "general_branch")


def test_another_township_cannot_change_the_kind(branch, user_township_b):
    with pytest.raises(Http404):
        roster.set_kind(user_township_b, branch, "general_branch")


def test_an_organisation_is_added_once(village_a1, user_committee_a1, english):
    made = roster.add_organisation(user_committee_a1, village_a1, "金茶村党支部", "branch")
    assert Record.objects.filter(action="party.organisation_added", target_id=made.pk).exists()
    with pytest.raises(RuleViolation, match="exists already"):
        roster.add_organisation(user_committee_a1, village_a1, "金茶村党支部", "branch")


# -- the import -----------------------------------------------------------------------


def test_a_good_file_is_imported(fresh, residents, user_committee_a1):
    data = csv_file(
        line(residents["丁一"], cadre="是"),
        line(residents["许静"], status="预备党员", joined="2025-06-01"),
        line(residents["李军"], sanction="是", cell="第二党小组"),
    )
    outcome = roster.import_members(user_committee_a1, fresh, "roster.csv", data)
    assert outcome.ok, outcome.problems
    assert (outcome.created, outcome.updated, outcome.unchanged) == (3, 0, 0)
    ding = Member.objects.get(resident=residents["丁一"])
    assert ding.organisation == fresh
    assert (ding.status, ding.cadre, ding.front_line) == ("full", True, True)
    assert ding.cell == "第一党小组"
    assert ding.joined_on == date(2010, 7, 1)
    assert Member.objects.get(resident=residents["许静"]).status == "probationary"
    assert Member.objects.get(resident=residents["李军"]).under_probation_sanction
    assert Record.objects.filter(action="party.member_added").count() == 3
    assert Record.objects.get(action="party.roster_imported").after["created"] == 3


def test_an_xlsx_file_is_imported(fresh, residents, user_committee_a1):
    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "公民身份号码", "党员类别", "入党日期"])
    sheet.append(["王芳", residents["王芳"].id_number, "正式党员", date(2012, 7, 1)])
    out = io.BytesIO()
    book.save(out)
    outcome = roster.import_members(user_committee_a1, fresh, "roster.xlsx", out.getvalue())
    assert outcome.ok, outcome.problems
    member = Member.objects.get(resident=residents["王芳"])
    assert member.joined_on == date(2012, 7, 1)
    assert not member.cadre and member.cell == ""


def test_bad_rows_write_nothing_and_each_problem_names_row_and_column(
    fresh, residents, user_committee_a1, english
):
    bad_id = residents["王强"].id_number[:-1] + (
        "0" if residents["王强"].id_number[-1] != "0" else "1"
    )
    data = csv_file(
        line(residents["丁一"]),  # row 2: good
        line(residents["王芳"], status="党员"),  # row 3
        line(residents["王强"]).replace(residents["王强"].id_number, bad_id),  # row 4
        line(residents["方敏"], joined="2010/7/1"),  # row 5
        line(residents["石磊"], sanction="也许"),  # row 6
        line(residents["朱红"]).replace("朱红", "朱虹"),  # row 7
        line(residents["丁一"]),  # row 8: twice
    )
    outcome = roster.import_members(user_committee_a1, fresh, "roster.csv", data)
    assert not outcome.ok
    found = {(p.row, p.column) for p in outcome.problems}
    assert found == {
        (3, "党员类别"),
        (4, "公民身份号码"),
        (5, "入党日期"),
        (6, "留党察看"),
        (7, "姓名"),
        (8, "公民身份号码"),
    }
    texts = [str(p) for p in outcome.problems]
    assert "roster.csv, row 4, column 公民身份号码: wrong check digit in the ID number" in texts
    assert any("row 8" in t and "row 2" in t for t in texts)
    assert not Member.objects.exists()
    assert not Record.objects.filter(action__startswith="party.").exists()


def test_an_unknown_person_is_refused(fresh, user_committee_a1, english):
    stranger = make_id("430121", date(1980, 5, 5), 901, "M")
    outcome = roster.import_members(
        user_committee_a1,
        fresh,
        "roster.csv",
        csv_file(f"路人,{stranger},正式党员,2010-07-01,否,否,,,否,否"),
    )
    [problem] = outcome.problems
    assert (problem.row, problem.column) == (2, "公民身份号码")
    assert "import the residents file first" in problem.problem


def test_a_missing_column_is_named(fresh, user_committee_a1, english):
    data = "姓名,公民身份号码,党员类别\r\n".encode()
    outcome = roster.import_members(user_committee_a1, fresh, "roster.csv", data)
    assert [(p.row, p.column) for p in outcome.problems] == [(1, "入党日期")]


def test_not_a_table(fresh, user_committee_a1, english):
    outcome = roster.import_members(user_committee_a1, fresh, "roster.xlsx", b"PK\x03\x04junk")
    [problem] = outcome.problems
    assert problem.row is None and "XLSX" in problem.problem


def test_reimporting_updates_with_before_and_after(members, branch, residents, user_committee_a1):
    data = csv_file(
        line(residents["丁一"], joined="2005-07-01", cell="", front_line="否"),  # unchanged
        line(residents["许静"], joined="2005-07-01", cell="", front_line="否"),  # now full
        line(residents["黄涛"]),  # new
    )
    outcome = roster.import_members(user_committee_a1, branch, "again.csv", data)
    assert outcome.ok, outcome.problems
    assert (outcome.created, outcome.updated, outcome.unchanged) == (1, 1, 1)
    xu = Member.objects.get(pk=members["许静"].pk)
    assert xu.status == "full"
    rec = Record.objects.get(action="party.member_changed")
    assert rec.before["status"] == "probationary" and rec.after["status"] == "full"
    assert Member.objects.filter(organisation=branch).count() == 13  # no one removed


def test_a_member_of_another_organisation_is_an_error(members, village_a1, user_township_a):
    other = Organisation.objects.create(place=village_a1, name="金茶村第二党支部", kind="branch")
    data = csv_file(line(members["丁一"].resident))
    outcome = roster.import_members(user_township_a, other, "roster.csv", data)
    [problem] = outcome.problems
    assert (problem.row, problem.column) == (2, "公民身份号码")
    assert "金茶村党支部" in problem.problem


def test_the_exported_workbook_imports_again_unchanged(members, branch, user_committee_a1):
    data = roster.workbook(roster.members_of(branch.place), full_ids=True, title="名册")
    outcome = roster.import_members(user_committee_a1, branch, "export.xlsx", data)
    assert outcome.ok, outcome.problems
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 12)


def test_the_template_has_the_columns():
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(roster.template_xlsx())).active
    assert [c.value for c in sheet[1]] == list(roster.COLUMNS.values())


def test_only_who_runs_the_party_work_imports(fresh, residents, user_observer, user_township_b):
    data = csv_file(line(residents["丁一"]))
    with pytest.raises(PermissionDenied):
        roster.import_members(user_observer, fresh, "roster.csv", data)
    with pytest.raises(Http404):
        roster.import_members(user_township_b, fresh, "roster.csv", data)
    assert not Member.objects.exists()


# -- one member -----------------------------------------------------------------------


def test_an_edit_is_recorded_and_says_when_the_vote_changes(members, user_committee_a1):
    edited = roster.update_member(user_committee_a1, members["丁一"], suspended=True)
    assert edited.vote_changed and edited.reason_after == "suspended"
    rec = Record.objects.get(action="party.member_changed")
    assert (rec.before["suspended"], rec.after["suspended"]) == (False, True)
    edited = roster.update_member(user_committee_a1, members["丁一"], cell="第三党小组")
    assert not edited.vote_changed


def test_an_edit_checks_its_values(members, user_committee_a1, english):
    with pytest.raises(RuleViolation, match="full or probationary"):
        roster.update_member(user_committee_a1, members["丁一"], status="honorary")
    with pytest.raises(RuleViolation, match="cannot be changed"):
        roster.update_member(user_committee_a1, members["丁一"], joined_on=date(2000, 1, 1))


def test_an_observer_cannot_edit(members, user_observer):
    with pytest.raises(PermissionDenied):
        roster.update_member(user_observer, members["丁一"], cadre=True)


def test_a_member_is_removed_on_the_record(members, user_committee_a1):
    roster.remove_member(user_committee_a1, members["陈霞"])
    assert Member.objects.count() == 11
    assert Record.objects.filter(action="party.member_removed").exists()


def test_search_by_name_or_id(members, village_a1):
    found = roster.members_of(village_a1)
    assert [m.resident.name for m in roster.search(found, "丁")] == ["丁一"]
    number = members["王芳"].resident.id_number
    assert [m.resident.name for m in roster.search(found, number[-6:])] == ["王芳"]
    assert [m.resident.name for m in roster.search(found, number)] == ["王芳"]


def test_an_empty_file_or_a_missing_column_is_named_and_nothing_written(
    user_committee_a1, fresh, residents, english
):
    empty = roster.import_members(user_committee_a1, fresh, "empty.csv", b"")
    assert [str(p) for p in empty.problems] == ["empty.csv: the file is empty"]
    without = HEADER.replace("公民身份号码,", "")
    data = ("\r\n".join([without, "丁一,正式党员"]) + "\r\n").encode("utf-8")
    missing = roster.import_members(user_committee_a1, fresh, "short.csv", data)
    assert [(p.row, p.column) for p in missing.problems] == [(1, "公民身份号码")]
    assert not Member.objects.filter(organisation=fresh).exists()
