"""Setting one line of text on a reportlab canvas in the CJK font.

WenQuanYi Zen Hei comes in one weight. Titles and headings are made bold the way
printers without a bold cut do it: each glyph is filled and also stroked with a thin
outline (PDF text render mode 2), which thickens it evenly and keeps it a text that
can be searched and copied.
"""

from reportlab.lib.colors import black
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from huanjie.documents.fonts import CJK

__all__ = ["draw_text", "new_canvas", "text_baseline"]

#: Width of the outline of simulated bold, as a fraction of the font size.
BOLD_STROKE = 0.035

_FILL_AND_STROKE = 2


def draw_text(canvas, x, y, text, size, *, align="left", bold=False, color=black):
    """Draw ``text`` with its baseline at ``y``; ``x`` is its left end, centre or right
    end as ``align`` ("left", "centre", "right") says."""
    if bold:
        canvas.saveState()
        canvas.setLineWidth(size * BOLD_STROKE)
        canvas.setStrokeColor(color)
    canvas.setFillColor(color)
    canvas.setFont(CJK, size)
    mode = _FILL_AND_STROKE if bold else None
    if align == "left":
        canvas.drawString(x, y, text, mode=mode)
    elif align == "centre":
        canvas.drawCentredString(x, y, text, mode=mode)
    elif align == "right":
        canvas.drawRightString(x, y, text, mode=mode)
    else:
        raise ValueError(f"align must be 'left', 'centre' or 'right', not {align!r}")
    if bold:
        canvas.restoreState()


def text_baseline(top, height, size):
    """The baseline that centres a line of CJK text of ``size`` in a band from ``top``
    down ``height``: the ideographs' box is about 0.88 em above the baseline and 0.12
    below, so its middle is 0.38 em up."""
    return top - height / 2 - 0.38 * size


def new_canvas(buffer, title, author="", pagesize=A4) -> Canvas:
    """A canvas whose PDF is the same for the same content (``invariant``), compressed,
    starting in the CJK font — not Helvetica, which would be named, unembedded."""
    canvas = Canvas(
        buffer, pagesize=pagesize, invariant=True, pageCompression=1, initialFontName=CJK
    )
    canvas.setTitle(title)
    if author:
        canvas.setAuthor(author)
    canvas.setCreator("Huanjie")
    return canvas
