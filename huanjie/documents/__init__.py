"""The printed documents: notices posted on walls and voter cards, as PDF bytes.

Plain functions of plain data, with no Django in them, so that a view, a management
command or a script can print the same document. Every PDF embeds its CJK font
(:mod:`.fonts`), so it prints the same on any machine.
"""

from huanjie.documents.cards import Card, voter_cards
from huanjie.documents.dates import chinese_date
from huanjie.documents.fonts import FontMissing
from huanjie.documents.notice import Section, list_notice
from huanjie.documents.wrapping import wrap

__all__ = ["Card", "FontMissing", "Section", "chinese_date", "list_notice", "voter_cards", "wrap"]
