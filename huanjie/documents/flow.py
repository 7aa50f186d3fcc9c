"""Laying text out on pages before drawing it, so that every page of a document can
say which of how many it is (第 N 页 共 M 页) when it is drawn.

A :class:`PageFlow` keeps, for each page, the drawing operations placed on it —
``("text", x, baseline, text, size, align, bold)`` for a line; documents add their
own kinds (tables, rules) — and ``y``, the top of the space still free. A part that
does not fit below ``y`` starts a new page, unless the page is still empty.
"""

import io

from huanjie.documents.drawing import draw_text, new_canvas, text_baseline

__all__ = ["PageFlow"]


class PageFlow:
    #: Line height as a multiple of the font size.
    leading = 1.7

    def __init__(self, pagesize, margin, footer_size):
        self.page_width, self.page_height = pagesize
        self.left = margin
        self.width = self.page_width - 2 * margin
        self.top = self.page_height - margin
        self.bottom = margin + footer_size * 2.5
        self.margin = margin
        self.footer_size = footer_size
        self.pages = []
        self.new_page()

    def new_page(self):
        self.pages.append([])
        self.y = self.top
        self.empty = True

    def make_room(self, height):
        """Go to a new page unless ``height`` fits below ``y`` (or the page is empty)."""
        if self.y - height < self.bottom and not self.empty:
            self.new_page()

    def gap(self, height):
        """Space between parts, which a page does not start with."""
        if not self.empty:
            self.y -= height

    def line(self, text, size, *, align="left", bold=False, indent=0.0):
        height = size * self.leading
        self.make_room(height)
        baseline = text_baseline(self.y, height, size)
        x = {"left": self.left + indent, "centre": self.left + self.width / 2}.get(
            align, self.left + self.width - indent
        )
        self.pages[-1].append(("text", x, baseline, text, size, align, bold))
        self.y -= height
        self.empty = False

    def draw(self, canvas, operation):
        """Draw one placed operation: a line of text; documents that place their own
        kinds (tables, rules) extend this."""
        _kind, x, y, text, size, align, bold = operation
        draw_text(canvas, x, y, text, size, align=align, bold=bold)

    def render(self, title, author) -> bytes:
        """The PDF of the pages laid out, each with 第 N 页 共 M 页 at its foot."""
        buffer = io.BytesIO()
        canvas = new_canvas(buffer, title, author, (self.page_width, self.page_height))
        total = len(self.pages)
        for number, operations in enumerate(self.pages, 1):
            for operation in operations:
                self.draw(canvas, operation)
            footer = f"第 {number} 页 共 {total} 页"
            draw_text(
                canvas, self.page_width / 2, self.margin, footer, self.footer_size, align="centre"
            )
            canvas.showPage()
        canvas.save()
        return buffer.getvalue()
