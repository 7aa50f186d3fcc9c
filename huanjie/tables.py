"""Reading the spreadsheets that offices bring: CSV or XLSX, cells as text.

Township offices and election committees keep their lists in Excel, so a file may come
as XLSX, as CSV in UTF-8 (with or without the BOM Excel adds), or as CSV in
GBK/GB18030, which is what Excel in a Chinese office saves by default (and what the
public-security household exports are). Both imports that read such files — places and
residents — report a problem the same way: the file, the row as Excel numbers it (the
header is row 1) and the column as the file names it, so the clerk can find and fix it.
"""

import csv
import io
import zipfile
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.translation import gettext as _


class FileError(Exception):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file; ``row`` and ``column`` are None when the problem
    is with the file as a whole."""

    file: str
    row: int | None
    column: str | None
    problem: str

    def __str__(self) -> str:
        if self.row is None:
            return _("%(file)s: %(problem)s") % {"file": self.file, "problem": self.problem}
        return _("%(file)s, row %(row)s, column %(column)s: %(problem)s") % {
            "file": self.file,
            "row": self.row,
            "column": self.column,
            "problem": self.problem,
        }


def header(
    rows: Iterator[list[str]],
    name: str,
    columns: Mapping[str, str],
    required: Collection[str],
    aliases: Mapping[str, str] | None = None,
) -> tuple[dict[str, int], list[Problem]]:
    """Read the header, the first of ``rows``: the column of each key of ``columns``
    (key → title) whose title, or one of its ``aliases`` (alias → title), is there; and
    the problems of a file that is empty or lacks a ``required`` column. The first
    column with a title wins."""
    first = next(rows, None)
    if not first or not any(first):
        return {}, [Problem(name, None, None, _("the file is empty"))]
    aliases = aliases or {}
    index: dict[str, int] = {}
    for i, title in enumerate(first):
        title = title.strip().lstrip("\ufeff")
        index.setdefault(aliases.get(title, title), i)
    found = {key: index[title] for key, title in columns.items() if title in index}
    missing = [columns[key] for key in required if key not in found]
    return found, [
        Problem(name, 1, title, _("this column is missing from the header")) for title in missing
    ]


def read_rows(data: bytes, name: str = "") -> Iterator[list[str]]:
    """The rows of the first sheet (XLSX) or of the CSV file, each a list of stripped
    cell texts, one at a time (a household export can hold a million rows).

    Raises :class:`FileError` at once if the file is not a table this can read.
    """
    if data[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        return _xlsx_rows(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileError(_("old Excel files (.xls) cannot be read; save it as .xlsx or CSV"))
    return _csv_rows(data)


def read_table(data: bytes, name: str = "") -> list[list[str]]:
    """The cells of the first sheet (XLSX) or of the CSV file, as text."""
    return list(read_rows(data, name))


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (a BOM is dropped) or else GB18030, the superset
    of GBK that Chinese Excel writes."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileError(_("the file is neither UTF-8 nor GBK text"))  # pragma: no cover


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    return _stripped(csv.reader(io.StringIO(text), delimiter=delimiter))


def _stripped(rows) -> Iterator[list[str]]:
    for row in rows:
        yield [cell.strip() for cell in row]


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileError(_("not a readable XLSX file")) from exc
    return _sheet_rows(workbook)


def _sheet_rows(workbook) -> Iterator[list[str]]:
    try:
        sheet = workbook.worksheets[0]
        for row in sheet.iter_rows(values_only=True):
            yield [cell_text(value) for value in row]
    finally:
        workbook.close()


def cell_text(value) -> str:
    """A cell as text. Excel stores a code typed as a number as a number (often a
    float): 430121001000.0 is the code 430121001000, and 1200.0 people are 1200. A date
    cell is written YYYY-MM-DD, as a date typed into a CSV file would be."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()
