"""Breaking Chinese text into lines of a given width, and fitting a line in a box.

Chinese puts no spaces between words, so a line may end after any character. A few
rules of Chinese typesetting (禁则) are kept because readers notice when they are not:
no line starts with closing punctuation (，。）…) and none ends with opening punctuation
(（《“…); a run of digits or Latin letters (2026, 第12届, an ID number such as
430**********1234) is not cut unless it is longer than a whole line.

Nothing is dropped or added: joining the lines gives back the text (less its newlines,
which force a break).
"""

import re
from itertools import accumulate

from reportlab.pdfbase.pdfmetrics import stringWidth

__all__ = ["fit_size", "wrap"]

_OPENING = "（(《〈「『“‘【〔［[{"
_CLOSING = "，。、；：！？）)》〉」』”’】〕］]}…—·%,.;:!?"

# The units a line is never broken inside: opening punctuation, then one character or
# one run of digits and letters (with the * of masked IDs and the separators inside
# numbers), then closing punctuation and trailing spaces.
_UNIT = re.compile(
    rf"[{re.escape(_OPENING)}]*"
    r"(?:[0-9A-Za-z*]+(?:[.,:/\-][0-9A-Za-z*]+)*|.)"
    rf"[{re.escape(_CLOSING)}]*[ \t]*",
    re.DOTALL,
)


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """The lines of ``text`` set in ``font`` at ``size`` points, none wider than ``width``.

    A newline ends a line (and is not part of it); an empty paragraph gives an empty line.
    Only a single character wider than ``width`` makes a line wider than ``width``.
    """
    lines = []
    for paragraph in text.split("\n"):
        lines.extend(_wrap_paragraph(paragraph, font, size, width))
    return lines


def _wrap_paragraph(text, font, size, width):
    if not text:
        return [""]
    lines = []
    line, used = "", 0.0
    for unit in _UNIT.findall(text):
        unit_width = stringWidth(unit, font, size)
        if used + unit_width <= width:
            line, used = line + unit, used + unit_width
            continue
        if line:
            lines.append(line)
            line, used = "", 0.0
        if unit_width <= width:
            line, used = unit, unit_width
            continue
        # A unit longer than a whole line (a very long number): cut it where it must.
        widths = list(accumulate(stringWidth(c, font, size) for c in unit))
        start = 0
        for end in range(1, len(unit) + 1):
            if widths[end - 1] - (widths[start - 1] if start else 0) > width and end - 1 > start:
                lines.append(unit[start : end - 1])
                start = end - 1
        line = unit[start:]
        used = stringWidth(line, font, size)
    lines.append(line)
    return lines


def fit_size(text: str, font: str, size: float, width: float, smallest: float = 6) -> float:
    """``size``, or the largest smaller size (not below ``smallest``) at which ``text``
    fits in ``width``: a long station name on a card shrinks rather than overflows."""
    natural = stringWidth(text, font, size)
    if natural <= width:
        return size
    return max(smallest, size * width / natural)
