"""``huanjie tally ELECTION.json`` as other offices' tools call it (CONTRACTS §0 and §4)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from huanjie.cli import main
from huanjie.rules.names import sort_names

# The contract's example, made whole: 1,200 registered, 1,000 ballots issued, 998
# returned — 600 + 300 marked alike, 4 with 主任 over-voted, 94 wholly invalid.
FIRST = {"director": ["c1"], "deputy": ["c3"], "member": ["c5", "c6", "李四"]}
SECOND = {"director": ["c2"], "deputy": ["c4"], "member": ["c5", "c7"]}
OVER = {"director": ["c1", "c2"]}
ELECTION = {
    "profile": "national",
    "kind": "committee",
    "round": "first",
    "mode": "separate",
    "electorate": 1200,
    "present": 1100,
    "ballots_issued": 1000,
    "ballots_returned": 998,
    "offices": [
        {"id": "director", "title": "主任", "seats": 1},
        {"id": "deputy", "title": "副主任", "seats": 1},
        {"id": "member", "title": "委员", "seats": 3},
    ],
    "candidates": [
        {"id": "c1", "name": "王芳", "office": "director", "sex": "F"},
        {"id": "c2", "name": "李明", "office": "director", "sex": "M"},
        {"id": "c3", "name": "张伟", "office": "deputy", "sex": "M"},
        {"id": "c4", "name": "刘洋", "office": "deputy", "sex": "M"},
        {"id": "c5", "name": "杨帆", "office": "member", "sex": "M"},
        {"id": "c6", "name": "赵磊", "office": "member", "sex": "M"},
        {"id": "c7", "name": "周强", "office": "member", "sex": "M"},
    ],
    "ballots": [FIRST] * 600 + [SECOND] * 300 + [OVER] * 4 + [{"invalid": True}] * 94,
    "write_in_sex": {"李四": "M"},
}
# The same ballots as totals: invalid sections are the 94 wholly invalid ballots, and
# for 主任 also the 4 over-voted ones.
COUNTS = {
    "director": {"c1": 600, "c2": 300, "invalid": 98},
    "deputy": {"c3": 600, "c4": 300, "invalid": 94},
    "member": {"c5": 900, "c6": 600, "李四": 600, "c7": 300, "invalid": 94},
}


def write(path: Path, data) -> Path:
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def tally(capsys, path: Path) -> tuple[int, str, str]:
    status = main(["tally", str(path)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def changed(**fields) -> dict:
    return {**ELECTION, **fields}


def without(*keys: str) -> dict:
    return {k: v for k, v in ELECTION.items() if k not in keys}


def assert_rejected(status: int, out: str, err: str, path: Path, *mentions: str) -> None:
    assert status == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert str(path) in err, err
    for text in mentions:
        assert text in err, (text, err)


def test_the_contract_example(tmp_path, capsys):
    status, out, err = tally(capsys, write(tmp_path / "e.json", ELECTION))
    assert (status, err) == (0, "")
    assert out.endswith("\n") and out.count("\n") == 1  # one JSON object on one line
    result = json.loads(out)
    assert list(result) == ["valid", "void_reasons", "turnout", "offices", "woman_elected"]
    assert result["valid"] is True and result["void_reasons"] == []
    # 1,000 issued of 1,200: participants are the ballots issued (majority base).
    assert result["turnout"] == {"electorate": 1200, "participants": 1000, "rate": 0.8333}
    assert result["woman_elected"] is True  # 王芳 wins 主任
    keys = [
        "id",
        "seats",
        "threshold",
        "votes",
        "invalid",
        "elected",
        "revote",
        "unfilled",
        "reserved_for_woman",
        "runoff_candidates",
    ]
    director, deputy, member = result["offices"]
    assert [list(o) for o in result["offices"]] == [keys] * 3
    # 主任: 600 > 500 wins; invalid 4 over-voted + 94 wholly invalid = 98.
    assert director == {
        "id": "director",
        "seats": 1,
        "threshold": 501,
        "votes": [
            {"who": "c1", "name": "王芳", "votes": 600, "write_in": False},
            {"who": "c2", "name": "李明", "votes": 300, "write_in": False},
        ],
        "invalid": 98,
        "elected": ["c1"],
        "revote": [],
        "unfilled": 0,
        "reserved_for_woman": 0,
        "runoff_candidates": [],
    }
    # 副主任: the 4 over-voted ballots have a blank 副主任 section, not an invalid one.
    assert (deputy["invalid"], deputy["elected"]) == (94, ["c3"])
    # 委员: c5 600 + 300 = 900; c6 and the written-in 李四 600 each (in stroke order);
    # c7 300. Three seats, three over 500.
    tied = sort_names(["赵磊", "李四"])
    assert [(v["name"], v["votes"], v["write_in"]) for v in member["votes"]] == [
        ("杨帆", 900, False),
        *[(name, 600, name == "李四") for name in tied],
        ("周强", 300, False),
    ]
    assert member["elected"] == ["c5", *[{"赵磊": "c6", "李四": "李四"}[n] for n in tied]]
    assert (member["invalid"], member["unfilled"], member["revote"]) == (94, 0, [])


def test_totals_give_the_same_output(tmp_path, capsys):
    _, from_ballots, _ = tally(capsys, write(tmp_path / "b.json", ELECTION))
    data = {**without("ballots"), "counts": COUNTS}
    status, from_counts, err = tally(capsys, write(tmp_path / "c.json", data))
    assert (status, err) == (0, "")
    assert json.loads(from_counts) == json.loads(from_ballots)


def test_overrides_change_the_count(tmp_path, capsys):
    # majority_base "returned": 998 / 2 = 499 → 500 needed.
    data = changed(overrides={"majority_base": "returned"})
    _, out, _ = tally(capsys, write(tmp_path / "e.json", data))
    result = json.loads(out)
    assert result["offices"][0]["threshold"] == 500
    assert result["turnout"]["participants"] == 998


def test_void_vote_is_a_result_not_bad_input(tmp_path, capsys):
    # 998 returned of 990 issued: void, exit 0.
    status, out, err = tally(capsys, write(tmp_path / "e.json", changed(ballots_issued=990)))
    assert (status, err) == (0, "")
    result = json.loads(out)
    assert result["valid"] is False
    assert result["void_reasons"] == ["returned_exceeds_issued"]
    assert all(o["elected"] == [] for o in result["offices"])


def test_party_vote(tmp_path, capsys):
    # 100 due, 81 present (81 > 80), majority of those due: 51.
    data = {
        "kind": "party",
        "electorate": 100,
        "present": 81,
        "ballots_issued": 81,
        "ballots_returned": 81,
        "offices": [{"id": "committee", "title": "委员", "seats": 5}],
        "candidates": [{"id": "q1", "name": "丁一", "office": "committee"}],
        "counts": {"committee": {"q1": 51, "王芳": 50}},
    }
    status, out, _ = tally(capsys, write(tmp_path / "p.json", data))
    office = json.loads(out)["offices"][0]
    assert status == 0 and (office["threshold"], office["elected"]) == (51, ["q1"])


def test_runs_as_its_own_process(tmp_path):
    path = write(tmp_path / "e.json", ELECTION)
    done = subprocess.run(
        [sys.executable, "-m", "huanjie", "tally", str(path)], capture_output=True, timeout=60
    )
    assert (done.returncode, done.stderr) == (0, b"")
    assert json.loads(done.stdout.decode("utf-8"))["offices"][0]["elected"] == ["c1"]


# --- bad input: exit 2, one line naming the file and the field, nothing on stdout -------


def test_missing_file(tmp_path, capsys):
    path = tmp_path / "absent.json"
    assert_rejected(*tally(capsys, path), path, "cannot be read")


def test_not_json_names_line_and_column(tmp_path, capsys):
    path = write(tmp_path / "e.json", '{"profile": "national",\n  "kind": }\n')
    assert_rejected(*tally(capsys, path), path, "line 2, column 11")


def test_the_contract_text_with_comments_is_not_json(tmp_path, capsys):
    path = write(tmp_path / "e.json", '{\n  "profile": "national",   // or "hunan"\n}')
    assert_rejected(*tally(capsys, path), path, "line 2")


def test_not_utf8(tmp_path, capsys):
    path = tmp_path / "e.json"
    path.write_bytes('{"kind": "王芳"}'.encode("gbk"))  # not valid UTF-8
    assert_rejected(*tally(capsys, path), path, "UTF-8")


def test_top_level_not_an_object(tmp_path, capsys):
    path = write(tmp_path / "e.json", "[1, 2]")
    assert_rejected(*tally(capsys, path), path, "object")


def test_missing_electorate(tmp_path, capsys):
    path = write(tmp_path / "e.json", without("electorate"))
    assert_rejected(*tally(capsys, path), path, "electorate", "missing")


@pytest.mark.parametrize("value", [-1, 12.5, "1200", True, None])
def test_electorate_not_a_whole_number(tmp_path, capsys, value):
    path = write(tmp_path / "e.json", changed(electorate=value))
    assert_rejected(*tally(capsys, path), path, "electorate")


def test_unknown_office_in_a_ballot_names_the_ballot(tmp_path, capsys):
    ballots = [FIRST, {"chair": ["c1"]}] + [FIRST] * 996
    path = write(tmp_path / "e.json", changed(ballots=ballots))
    assert_rejected(*tally(capsys, path), path, "ballots[1]", "chair")


def test_section_neither_a_list_nor_null(tmp_path, capsys):
    ballots = [FIRST] * 5 + [{"director": "c1"}] + [FIRST] * 992
    path = write(tmp_path / "e.json", changed(ballots=ballots))
    assert_rejected(*tally(capsys, path), path, "ballots[5].director")


def test_ballots_not_as_many_as_returned(tmp_path, capsys):
    path = write(tmp_path / "e.json", changed(ballots=ELECTION["ballots"][:-1]))
    assert_rejected(*tally(capsys, path), path, "ballots", "997", "ballots_returned", "998")


def test_cascade_needs_ballots(tmp_path, capsys):
    data = {**without("ballots"), "counts": COUNTS, "mode": "cascade"}
    path = write(tmp_path / "e.json", data)
    assert_rejected(*tally(capsys, path), path, "counts", "cascade")


def test_both_ballots_and_counts(tmp_path, capsys):
    path = write(tmp_path / "e.json", changed(counts=COUNTS))
    assert_rejected(*tally(capsys, path), path, "ballots", "counts")


def test_party_without_present(tmp_path, capsys):
    data = {**without("present"), "kind": "party"}
    path = write(tmp_path / "e.json", data)
    assert_rejected(*tally(capsys, path), path, "present", "missing")


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"majority_base": "everyone"}, "overrides.majority_base"),
        ({"runoff_threshold": "3/2"}, "overrides.runoff_threshold"),
        ({"no_such_rule": 1}, "overrides.no_such_rule"),
    ],
)
def test_bad_override(tmp_path, capsys, overrides, field):
    path = write(tmp_path / "e.json", changed(overrides=overrides))
    assert_rejected(*tally(capsys, path), path, field)


@pytest.mark.parametrize(
    "field, value",
    [("profile", "beijing"), ("kind", "township"), ("round", "second"), ("mode", "both")],
)
def test_unknown_choice(tmp_path, capsys, field, value):
    path = write(tmp_path / "e.json", changed(**{field: value}))
    assert_rejected(*tally(capsys, path), path, field, value)


def test_candidate_of_no_office(tmp_path, capsys):
    candidates = [*ELECTION["candidates"], {"id": "c8", "name": "钱进", "office": "chair"}]
    path = write(tmp_path / "e.json", changed(candidates=candidates))
    assert_rejected(*tally(capsys, path), path, "candidates[7].office")


def test_office_without_seats(tmp_path, capsys):
    offices = [{"id": "director", "title": "主任", "seats": 0}]
    path = write(tmp_path / "e.json", changed(offices=offices))
    assert_rejected(*tally(capsys, path), path, "offices[0].seats")


def test_negative_count(tmp_path, capsys):
    counts = {**COUNTS, "director": {"c1": -5}}
    path = write(tmp_path / "e.json", {**without("ballots"), "counts": counts})
    assert_rejected(*tally(capsys, path), path, "counts.director.c1")


def test_no_file_argument_is_a_usage_error(capsys):
    assert main(["tally"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "usage: huanjie tally" in captured.err
