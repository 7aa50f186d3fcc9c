"""Setting one line of text on a reportlab canvas in the CJK font.

WenQuanYi Zen Hei comes in one weight. Titles and headings are made bold the way
printers without a bold cut do it: each glyph is filled and also stroked with a thin
outline (PDF text render mode 2), which thickens it evenly and keeps it a text that
can be searched and copied.
"""

from reportlab.lib.colors import black

from huanjie.documents.fonts import CJK

__all__ = ["draw_text"]

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
