"""``huanjie roll build`` as other tools call it (CONTRACTS §0 and §3)."""

import csv
import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import huanjie.cli.roll as roll
from huanjie.cli import main
from huanjie.rules.eligibility import Intent, Person, register_all
from huanjie.rules.identity import make_id, normalize

D = "2026-03-01"
COLUMNS = [
    "姓名",
    "公民身份号码",
    "户籍地代码",
    "居住地代码",
    "居住起始日期",
    "剥夺政治权利",
    "无法行使选举权",
    "参选意愿",
    "会议同意",
    "专职工作社区",
]
VOTERS = "社区代码,公民身份号码,姓名,类别"
EXCLUDED = "社区代码,公民身份号码,姓名,原因"
CONFLICTS = "公民身份号码,登记社区,其他社区"
OUTPUTS = ("voters.csv", "excluded.csv", "conflicts.csv")


def pid(birth: date = date(1980, 5, 17), seq: int = 1, sex: str = "M") -> str:
    return make_id("430121", birth, seq, sex)


def broken(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def id_ending_in_x() -> str:
    return next(n for s in range(1000) if (n := pid(seq=s, sex="F")).endswith("X"))


def row(name: str, number: str, home: str, live: str | None = None, **fields: str) -> dict:
    keys = {
        "since": "居住起始日期",
        "deprived": "剥夺政治权利",
        "incapacitated": "无法行使选举权",
        "intent": "参选意愿",
        "approved": "会议同意",
        "staff": "专职工作社区",
    }
    values = {keys.get(k, k): v for k, v in fields.items()}
    return {
        "姓名": name,
        "公民身份号码": number,
        "户籍地代码": home,
        "居住地代码": home if live is None else live,
        **values,
    }


def write(
    path: Path, rows: list[dict], columns: list[str] = COLUMNS, encoding: str = "utf-8"
) -> Path:
    with open(path, "w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for r in rows:
            writer.writerow([r.get(c, "") for c in columns])
    return path


def build(capsys, residents: Path, out: Path, *extra: str) -> tuple[int, str, str]:
    status = main(
        ["roll", "build", str(residents), "--election-date", D, "--out", str(out), *extra]
    )
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def read(out: Path, name: str) -> tuple[str, list[list[str]]]:
    text = (out / name).read_text(encoding="utf-8")
    header, *lines = list(csv.reader(text.splitlines()))
    return ",".join(header), lines


def outputs(out: Path) -> dict[str, list[list[str]]]:
    return {name: read(out, name)[1] for name in OUTPUTS}


def summary_of(stdout: str) -> dict:
    return json.loads(stdout.strip().splitlines()[-1])


def assert_consistent(summary: dict, out: Path) -> None:
    files = outputs(out)
    assert summary["registered"] == len(files["voters.csv"])
    assert summary["excluded"] == len(files["excluded.csv"])
    assert summary["conflicts"] == len(files["conflicts.csv"])
    duplicates = sum(1 for r in files["excluded.csv"] if r[3] == "duplicate_record")
    assert summary["persons"] == summary["rows"] - duplicates


def assert_rejected(status: int, err: str, out: Path, *mentions: str) -> None:
    assert status == 2
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for text in mentions:
        assert text in err, (text, err)
    assert not any((out / name).exists() for name in OUTPUTS)
    assert not list(out.parent.glob(".roll-*"))  # no work files left beside DIR


ALICE = pid(date(1970, 1, 1), 1, "F")
BOB = pid(date(1985, 7, 7), 3, "M")
CAROL = pid(date(1990, 2, 2), 5, "F")
DAN = pid(date(2010, 1, 1), 7, "M")  # under age
EVE = pid(date(1975, 3, 3), 9, "F")
FRANK = pid(date(1960, 4, 4), 11, "M")

WORKED = [
    row("王芳", ALICE, "A"),  # 户在人在
    row("李强", BOB, "A", "B", since="2019-05-01", intent="参加", approved="是", staff="C"),
    row("赵敏", CAROL, "A", "B", intent="不参加"),
    row("孙小", DAN, "A", "B", staff="C", approved="是"),
    row("周全", broken(EVE), "B"),
    row("吴用", FRANK, "C", "C", deprived="是"),
    row("王芳", ALICE, "B"),  # the same person again: only the first row counts
]


def test_worked_example(tmp_path, capsys):
    out = tmp_path / "rolls"
    status, stdout, err = build(capsys, write(tmp_path / "r.csv", WORKED), out)
    assert (status, err) == (0, "")
    assert read(out, "voters.csv")[0] == VOTERS
    assert read(out, "excluded.csv")[0] == EXCLUDED
    assert read(out, "conflicts.csv")[0] == CONFLICTS
    files = outputs(out)
    assert files["voters.csv"] == [
        ["A", ALICE, "王芳", "户在人在"],
        ["B", BOB, "李强", "人在户不在"],
    ]
    assert files["excluded.csv"] == [
        ["A", BOB, "李强", "registered_elsewhere"],
        ["C", BOB, "李强", "registered_elsewhere"],
        ["A", CAROL, "赵敏", "absent_declined"],
        ["B", CAROL, "赵敏", "not_applied"],
        ["A", DAN, "孙小", "under_age"],
        ["B", broken(EVE), "周全", "invalid_id"],
        ["C", FRANK, "吴用", "deprived_of_rights"],
        ["B", ALICE, "王芳", "duplicate_record"],
    ]
    # one person in three places: registered where they live, the others in their order
    assert files["conflicts.csv"] == [[BOB, "B", "A;C"]]
    summary = summary_of(stdout)
    assert {k: summary[k] for k in ("persons", "registered", "excluded", "conflicts")} == {
        "persons": 6,
        "registered": 2,
        "excluded": 8,
        "conflicts": 1,
    }
    assert_consistent(summary, out)


def test_files_are_utf8_without_bom_with_exact_headers(tmp_path, capsys):
    out = tmp_path / "rolls"
    status, _, _ = build(capsys, write(tmp_path / "r.csv", WORKED[:1]), out)
    assert status == 0
    for name, header in zip(OUTPUTS, (VOTERS, EXCLUDED, CONFLICTS), strict=True):
        raw = (out / name).read_bytes()
        assert raw.decode("utf-8").splitlines()[0] == header


def test_staff_only_and_lived_in_only_categories(tmp_path, capsys):
    rows = [
        row("甲", pid(seq=21), "A", "B", intent="联系不上", staff="C", approved="是"),
        row("乙", pid(seq=23), "A", "B", since="2025-03-01", intent="参加", approved="是"),
        row("丙", pid(seq=25), "A", "B", since="2025-03-02", intent="参加", approved="是"),
        row("丁", pid(seq=27), "A", "B", since="", intent="参加", approved="是"),
        row("戊", pid(seq=29), "A", "B", since="2020-01-01", intent="参加", approved="否"),
        row("己", pid(seq=31), "A", "B", since="2020-01-01", intent="", approved=""),
        row("庚", pid(seq=33), "A", "A", staff="C", approved=""),
        row("辛", pid(seq=35), "A", "A", incapacitated="是", staff="C", approved="是"),
    ]
    out = tmp_path / "rolls"
    status, stdout, _ = build(capsys, write(tmp_path / "r.csv", rows), out)
    assert status == 0
    files = outputs(out)
    assert [(r[2], r[0], r[3]) for r in files["voters.csv"]] == [
        ("甲", "C", "专职工作人员"),
        ("乙", "B", "人在户不在"),  # exactly one year before D
        ("丙", "A", "户在人不在"),
        ("丁", "A", "户在人不在"),
        ("戊", "A", "户在人不在"),
        ("庚", "A", "户在人在"),
    ]
    assert [(r[2], r[0], r[3]) for r in files["excluded.csv"]] == [
        ("甲", "A", "absent_unreachable"),
        ("甲", "B", "not_applied"),
        ("乙", "A", "registered_elsewhere"),
        ("丙", "B", "residence_too_short"),
        ("丁", "B", "residence_too_short"),
        ("戊", "B", "not_approved"),
        ("己", "A", "absent_no_intent"),
        ("己", "B", "not_applied"),
        ("庚", "C", "not_approved"),
        ("辛", "A", "incapacitated"),
    ]
    assert files["conflicts.csv"] == [[pid(seq=23), "B", "A"]]
    assert_consistent(summary_of(stdout), out)


def test_born_on_29_february(tmp_path, capsys):
    leap = pid(date(2008, 2, 29), 41, "F")
    residents = write(tmp_path / "r.csv", [row("闰", leap, "A")])
    for day, where in (("2026-02-28", "excluded.csv"), ("2026-03-01", "voters.csv")):
        out = tmp_path / day
        status = main(["roll", "build", str(residents), "--election-date", day, "--out", str(out)])
        capsys.readouterr()
        assert status == 0
        assert len(outputs(out)[where]) == 1
    assert outputs(tmp_path / "2026-02-28")["excluded.csv"] == [["A", leap, "闰", "under_age"]]


def test_lowercase_x_is_written_uppercase_and_is_the_same_person(tmp_path, capsys):
    upper = id_ending_in_x()
    rows = [row("钱多", upper[:-1] + "x", "A"), row("钱多", upper, "B")]
    out = tmp_path / "rolls"
    status, stdout, _ = build(capsys, write(tmp_path / "r.csv", rows), out)
    assert status == 0
    files = outputs(out)
    assert files["voters.csv"] == [["A", upper, "钱多", "户在人在"]]
    assert files["excluded.csv"] == [["B", upper, "钱多", "duplicate_record"]]
    assert summary_of(stdout)["persons"] == 1


def test_columns_in_any_order_and_extra_columns_ignored(tmp_path, capsys):
    columns = ["备注", *reversed(COLUMNS), "联系电话"]
    rows = [{**r, "备注": "某某", "联系电话": "13800000000"} for r in WORKED]
    shuffled = tmp_path / "shuffled"
    status, stdout, _ = build(capsys, write(tmp_path / "s.csv", rows, columns), shuffled)
    assert status == 0
    plain = tmp_path / "plain"
    build(capsys, write(tmp_path / "p.csv", WORKED), plain)
    assert outputs(shuffled) == outputs(plain)
    assert_consistent(summary_of(stdout), shuffled)


def test_a_byte_order_mark_is_accepted(tmp_path, capsys):
    out = tmp_path / "rolls"
    residents = write(tmp_path / "r.csv", WORKED, encoding="utf-8-sig")
    assert residents.read_bytes().startswith(b"\xef\xbb\xbf")
    status, _, err = build(capsys, residents, out)
    assert (status, err) == (0, "")
    assert len(outputs(out)["voters.csv"]) == 2


def test_the_order_of_rows_does_not_matter_without_duplicates(tmp_path, capsys):
    rows = WORKED[:-1]
    forward, backward = tmp_path / "f", tmp_path / "b"
    build(capsys, write(tmp_path / "f.csv", rows), forward)
    build(capsys, write(tmp_path / "b.csv", rows[::-1]), backward)
    for name in OUTPUTS:
        assert sorted(read(forward, name)[1]) == sorted(read(backward, name)[1])


def test_an_existing_directory_receives_the_files(tmp_path, capsys):
    out = tmp_path / "rolls"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    status, _, _ = build(capsys, write(tmp_path / "r.csv", WORKED), out)
    assert status == 0
    assert sorted(p.name for p in out.iterdir()) == sorted([*OUTPUTS, "keep.txt"])


def test_a_known_profile_is_accepted(tmp_path, capsys):
    out = tmp_path / "rolls"
    status, _, _ = build(capsys, write(tmp_path / "r.csv", WORKED), out, "--profile", "hunan")
    assert status == 0
    assert len(outputs(out)["voters.csv"]) == 2


# --- bad input: exit 2, one line naming file and row/field, nothing written -------------


def without(column: str) -> list[str]:
    return [c for c in COLUMNS if c != column]


@pytest.mark.parametrize(
    ("rows", "columns", "mentions"),
    [
        (WORKED, without("会议同意"), ["row 1", "会议同意"]),
        (
            [WORKED[0], row("甲", pid(seq=51), "A", deprived="可能")],
            COLUMNS,
            ["row 3", "剥夺政治权利"],
        ),
        (
            [row("甲", pid(seq=51), "A", "B", since="2020/01/01")],
            COLUMNS,
            ["row 2", "居住起始日期", "2020/01/01"],
        ),
        (
            [row("甲", pid(seq=51), "A", "B", since="2020-02-30")],
            COLUMNS,
            ["row 2", "居住起始日期"],
        ),
        # an ISO week date is not YYYY-MM-DD (it would silently become 2019-12-30)
        (
            [row("甲", pid(seq=51), "A", "B", since="2020-W01-1")],
            COLUMNS,
            ["row 2", "居住起始日期"],
        ),
        ([row("甲", pid(seq=51), "A", "B", intent="yes")], COLUMNS, ["row 2", "参选意愿", "yes"]),
        ([row("甲", pid(seq=51), "A", incapacitated="Y")], COLUMNS, ["row 2", "无法行使选举权"]),
        ([row("甲", pid(seq=51), "A", approved="同意")], COLUMNS, ["row 2", "会议同意"]),
        ([WORKED[0], WORKED[1], row("甲", pid(seq=51), "")], COLUMNS, ["row 4", "户籍地代码"]),
        ([row("甲", pid(seq=51), "A", "")], COLUMNS, ["row 2", "居住地代码"]),
    ],
    ids=[
        "missing-column",
        "deprived-maybe",
        "slashed-date",
        "no-such-day",
        "week-date",
        "intent-yes",
        "incapacitated-Y",
        "approved-other",
        "empty-household",
        "empty-residence",
    ],
)
def test_bad_input_is_rejected_whole(tmp_path, capsys, rows, columns, mentions):
    residents = write(tmp_path / "r.csv", rows, columns)
    out = tmp_path / "rolls"
    status, stdout, err = build(capsys, residents, out)
    assert_rejected(status, err, out, str(residents), *mentions)
    assert not out.exists()
    assert stdout == ""


def test_bad_input_leaves_an_existing_directory_without_the_files(tmp_path, capsys):
    rows = [*WORKED, row("甲", pid(seq=51), "A", deprived="可能")]
    out = tmp_path / "rolls"
    out.mkdir()
    status, _, err = build(capsys, write(tmp_path / "r.csv", rows), out)
    assert_rejected(status, err, out, "row 9", "剥夺政治权利")
    assert list(out.iterdir()) == []


def test_bad_input_keeps_the_files_of_an_earlier_run(tmp_path, capsys):
    out = tmp_path / "rolls"
    build(capsys, write(tmp_path / "good.csv", WORKED), out)
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    bad = write(tmp_path / "bad.csv", [row("甲", pid(seq=51), "A", intent="yes")])
    status, _, err = build(capsys, bad, out)
    assert status == 2 and "参选意愿" in err
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before


def test_empty_file_and_missing_file(tmp_path, capsys):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    out = tmp_path / "rolls"
    status, _, err = build(capsys, empty, out)
    assert_rejected(status, err, out, str(empty))
    missing = tmp_path / "nowhere.csv"
    status, _, err = build(capsys, missing, out)
    assert_rejected(status, err, out, str(missing))
    assert not out.exists()


def test_not_utf8_is_rejected(tmp_path, capsys):
    residents = write(tmp_path / "r.csv", WORKED, encoding="gb18030")
    out = tmp_path / "rolls"
    status, _, err = build(capsys, residents, out)
    assert_rejected(status, err, out, str(residents), "UTF-8")
    assert not out.exists()


def test_only_a_header_gives_empty_rolls(tmp_path, capsys):
    out = tmp_path / "rolls"
    status, stdout, _ = build(capsys, write(tmp_path / "r.csv", []), out)
    assert status == 0
    assert outputs(out) == {name: [] for name in OUTPUTS}
    summary = summary_of(stdout)
    assert (summary["persons"], summary["registered"], summary["excluded"]) == (0, 0, 0)


@pytest.mark.parametrize("day", ["2026-02-30", "tomorrow", "01/03/2026", ""])
def test_invalid_election_date(tmp_path, capsys, day):
    residents = write(tmp_path / "r.csv", WORKED)
    out = tmp_path / "rolls"
    status = main(["roll", "build", str(residents), "--election-date", day, "--out", str(out)])
    err = capsys.readouterr().err
    assert_rejected(status, err, out, "--election-date")
    assert not out.exists()


def test_unknown_profile(tmp_path, capsys):
    out = tmp_path / "rolls"
    status, _, err = build(capsys, write(tmp_path / "r.csv", WORKED), out, "--profile", "mars")
    assert_rejected(status, err, out, "--profile", "mars")
    assert not out.exists()


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["r.csv"],
        ["r.csv", "--election-date", D],
        ["r.csv", "--out", "rolls"],
        ["--election-date", D, "--out", "rolls"],
        ["r.csv", "--election-date", D, "--out"],
        ["r.csv", "other.csv", "--election-date", D, "--out", "rolls"],
        ["r.csv", "--election-date", D, "--out", "rolls", "--verbose"],
    ],
)
def test_missing_or_unknown_arguments(tmp_path, capsys, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "r.csv", WORKED)
    status = main(["roll", "build", *args])
    err = capsys.readouterr().err
    assert_rejected(status, err, tmp_path / "rolls")
    assert not (tmp_path / "rolls").exists()


@pytest.mark.parametrize("where", ["rolls", "rolls/inside"])
def test_out_is_or_is_inside_an_existing_file(tmp_path, capsys, where):
    # §0: a bad --out is bad input like any other: exit 2 and a reason, no traceback
    (tmp_path / "rolls").write_text("not a directory")
    out = tmp_path / where
    status, _, err = build(capsys, write(tmp_path / "r.csv", WORKED), out)
    assert status == 2
    assert str(out) in err and err.count("\n") == 1
    assert (tmp_path / "rolls").read_text() == "not a directory"


# --- the file as a whole: the rules core, in one pass or in stretches ---------------------

NUMBERS = st.builds(
    make_id,
    st.just("430121"),
    st.dates(date(1930, 1, 1), date(2010, 12, 31)),
    st.integers(0, 999),
    st.sampled_from(["M", "F"]),
).flatmap(lambda n: st.sampled_from([n, n, broken(n), n[:-1] + n[-1].lower()]))
RESIDENT = st.fixed_dictionaries(
    {
        "户籍地代码": st.sampled_from("ABC"),
        "居住地代码": st.sampled_from("ABC"),
        "居住起始日期": st.sampled_from(["", "2020-01-01", "2025-03-01", "2025-03-02"]),
        "剥夺政治权利": st.sampled_from(["", "否", "否", "是"]),
        "无法行使选举权": st.sampled_from(["", "否", "否", "是"]),
        "参选意愿": st.sampled_from([i.value for i in Intent]),
        "会议同意": st.sampled_from(["", "是", "否"]),
        "专职工作社区": st.sampled_from(["", "", "A", "B", "C"]),
    }
)


@st.composite
def residents_files(draw) -> list[dict]:
    pool = draw(st.lists(NUMBERS, min_size=1, max_size=8))
    rows = draw(st.lists(RESIDENT, min_size=0, max_size=30))
    return [
        {**r, "姓名": f"人{i}", "公民身份号码": draw(st.sampled_from(pool))}
        for i, r in enumerate(rows)
    ]


def _person(r: dict) -> Person:
    yes = {"是": True, "否": False, "": False}
    return Person(
        normalize(r["公民身份号码"]),
        r["姓名"],
        r["户籍地代码"],
        r["居住地代码"],
        date.fromisoformat(r["居住起始日期"]) if r["居住起始日期"] else None,
        yes[r["剥夺政治权利"]],
        yes[r["无法行使选举权"]],
        Intent(r["参选意愿"]),
        yes[r["会议同意"]],
        r["专职工作社区"],
    )


def _sorted(directory: Path) -> dict[str, list[list[str]]]:
    return {name: sorted(lines) for name, lines in outputs(directory).items()}


@settings(max_examples=25, deadline=None)
@given(residents_files())
def test_the_files_say_what_the_rules_core_says_in_one_pass_or_in_stretches(rows):
    day = date.fromisoformat(D)
    expected = {"voters.csv": [], "excluded.csv": [], "conflicts.csv": []}
    for o in register_all(map(_person, rows), day):
        number, name = o.person.id_number, o.person.name
        if o.place:
            expected["voters.csv"].append([o.place, number, name, str(o.category)])
        if o.others:
            others = ";".join(code for code, _ in o.others)
            expected["conflicts.csv"].append([number, o.place, others])
        expected["excluded.csv"] += [[c, number, name, str(r)] for c, r in o.excluded]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        residents = write(tmp / "r.csv", rows)
        one = roll.build(residents, day, tmp / "one")
        with (
            mock.patch.object(roll, "PARALLEL_FROM", 0),
            mock.patch.object(roll.os, "cpu_count", return_value=3),
        ):
            many = roll.build(residents, day, tmp / "many")
        assert one == many
        assert _sorted(tmp / "one") == _sorted(tmp / "many")
        assert _sorted(tmp / "one") == {k: sorted(v) for k, v in expected.items()}
        assert_consistent(one, tmp / "one")
        voters = [line[1] for line in outputs(tmp / "one")["voters.csv"]]
        assert len(voters) == len(set(voters))


def test_help():
    assert main(["roll", "build", "--help"]) == 0


def test_as_a_separate_process(tmp_path):
    residents = write(tmp_path / "r.csv", WORKED, encoding="utf-8-sig")
    out = tmp_path / "rolls"
    result = subprocess.run(
        [sys.executable, "-m", "huanjie", "roll", "build", str(residents)]
        + ["--election-date", D, "--out", str(out)],
        capture_output=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, b"")
    summary = json.loads(result.stdout.decode().splitlines()[-1])
    assert {k: summary[k] for k in ("persons", "registered", "excluded", "conflicts")} == {
        "persons": 6,
        "registered": 2,
        "excluded": 8,
        "conflicts": 1,
    }
    assert_consistent(summary, out)
    assert outputs(out)["conflicts.csv"] == [[BOB, "B", "A;C"]]

    bad = write(tmp_path / "bad.csv", [row("甲", pid(seq=51), "A", deprived="可能")])
    result = subprocess.run(
        [sys.executable, "-m", "huanjie", "roll", "build", str(bad)]
        + ["--election-date", D, "--out", str(tmp_path / "bad")],
        capture_output=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stdout == b""
    err = result.stderr.decode()
    assert err.count("\n") == 1 and str(bad) in err and "剥夺政治权利" in err
    assert not (tmp_path / "bad").exists()
