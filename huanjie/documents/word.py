"""Word documents (DOCX) for narrative reports, as Chinese offices exchange them: text
set in 宋体 and plain ruled tables."""

import io

__all__ = ["add_table", "new_document", "song_ti", "to_bytes"]


def new_document():
    """A new document whose text, title and headings are in 宋体."""
    from docx import Document

    document = Document()
    song_ti(document)
    return document


def song_ti(document) -> None:
    """Sets the body text, the title and the headings of a new Word document in 宋体
    (SimSun), through the East Asian font setting, which is the one Word uses for CJK
    characters."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.name = "SimSun"
    normal.font.size = Pt(10.5)
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        fonts = document.styles[name].element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), "宋体")
        # A theme font, as the headings have, would win over the named one.
        fonts.attrib.pop(qn("w:eastAsiaTheme"), None)


def add_table(document, head: list[str], lines: list[list[str]]):
    """A ruled table with a bold header row."""
    grid = document.add_table(rows=1, cols=len(head))
    grid.style = "Table Grid"
    for cell, text in zip(grid.rows[0].cells, head, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for line in lines:
        for cell, text in zip(grid.add_row().cells, line, strict=True):
            cell.text = text
    return grid


def to_bytes(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
