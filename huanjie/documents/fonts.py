"""The one CJK font of the printed documents, embedded in every PDF.

A notice posted on a wall and a voter card printed at the township office must look
the same whatever machine made them, so the PDFs carry their font instead of naming
one the reader may not have. reportlab embeds TrueType outlines only; the Noto CJK
fonts are OpenType with PostScript (CFF) outlines, which it refuses. WenQuanYi Zen Hei
is TrueType, free and packaged by Debian, so it is the font.

The font is registered with reportlab on first use, not on import, so that importing
this package costs nothing on a machine that never prints.
"""

import os
import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

__all__ = ["CJK", "DEBIAN_PACKAGE", "FONT_FILE", "FontMissing", "register"]

#: The name the documents use for the font in reportlab.
CJK = "WenQuanYiZenHei"

#: Where Debian installs the font. A module attribute, so that a deployment (or a
#: test) can point elsewhere before the first document is printed.
FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

#: The Debian package that installs FONT_FILE.
DEBIAN_PACKAGE = "fonts-wqy-zenhei"

#: The collection holds Zen Hei (0) and its monospaced and sharp variants.
SUBFONT_INDEX = 0

_lock = threading.Lock()
_registered = False


class FontMissing(FileNotFoundError):
    """The font file is not on this machine; the message says how to install it."""


def register():
    """Register the CJK font with reportlab, once, and return its name."""
    global _registered
    if _registered:
        return CJK
    with _lock:
        if not _registered:
            if not os.path.isfile(FONT_FILE):
                raise FontMissing(
                    f"The CJK font of the printed documents, {FONT_FILE}, is missing. "
                    f"Install the Debian package {DEBIAN_PACKAGE} "
                    f"(apt-get install {DEBIAN_PACKAGE})."
                )
            pdfmetrics.registerFont(TTFont(CJK, FONT_FILE, subfontIndex=SUBFONT_INDEX))
            _registered = True
    return CJK
