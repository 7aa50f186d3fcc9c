"""``huanjie roll build`` in stretches (one process per core) says exactly what one
pass says, including a number repeated across two stretches (CONTRACTS §3 rule 2)."""

import csv
from datetime import date

import pytest

import huanjie.cli.roll as roll
from huanjie.rules.identity import make_id

HEADER = ",".join(roll.COLUMNS.values())
D = date(2026, 12, 20)
A, B = "430121001201", "430121001202"


def _rows(n):
    for i in range(n):
        number = make_id("430121", date(1950 + i % 50, 1 + i % 12, 1 + i % 28), i % 1000, "M")
        live = B if i % 7 == 0 else A
        yield f"人{i},{number},{A},{live},2020-01-01,,,参加,是,"


def _read(directory, name):
    with open(directory / name, encoding="utf-8") as f:
        return sorted(map(tuple, csv.reader(f)))


@pytest.fixture
def file_with_repeats(tmp_path):
    rows = list(_rows(3000))
    # The first rows come back at the very end: in the last stretch, not the first.
    body = rows + rows[:5] + [f"某人,123,{A},{A},,,,,,"]
    path = tmp_path / "residents.csv"
    path.write_text(HEADER + "\n" + "\n".join(body) + "\n", encoding="utf-8")
    return path


def test_stretches_agree_with_one_pass(file_with_repeats, tmp_path, monkeypatch):
    one = roll.build(file_with_repeats, D, tmp_path / "one")
    monkeypatch.setattr(roll, "PARALLEL_FROM", 0)
    monkeypatch.setattr(roll.os, "cpu_count", lambda: 3)
    many = roll.build(file_with_repeats, D, tmp_path / "many")
    assert one == many
    assert one["by_reason"]["duplicate_record"] == 5
    assert one["by_reason"]["invalid_id"] == 1
    for name in ("voters.csv", "excluded.csv", "conflicts.csv"):
        assert _read(tmp_path / "one", name) == _read(tmp_path / "many", name)


def test_a_bad_row_in_a_later_stretch_is_named_by_its_line(
    file_with_repeats, tmp_path, monkeypatch
):
    text = file_with_repeats.read_text(encoding="utf-8").splitlines()
    text[2500] = text[2500].replace(",参加,", ",也许,")
    file_with_repeats.write_text("\n".join(text) + "\n", encoding="utf-8")
    monkeypatch.setattr(roll, "PARALLEL_FROM", 0)
    monkeypatch.setattr(roll.os, "cpu_count", lambda: 2)
    with pytest.raises(roll.BadInput, match=r"row 2501, field 参选意愿"):
        roll.build(file_with_repeats, D, tmp_path / "out")
    assert not (tmp_path / "out").exists()
