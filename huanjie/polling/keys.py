"""Ballots typed at keyboard speed, and ballots given as marks checked against a slate.

A counter reads a paper ballot and types it in a few key presses. Each candidate has a
short key within their office: 1, 2, 3… in the order of the ballot (the slate's
姓氏笔画 order, DOMAIN §6). A ballot is typed section by section, in the order of
the offices::

    1 / 13        主任: the first candidate; 委员: the first and the third
    2 / 3 +李四   主任: the second; 委员: the third and 李四 written in (另选他人)
    / ?           主任: blank (abstain); 委员: unreadable, invalid for that office
    0             a blank ballot (every section abstains)
    x             a void ballot (作废票)

Sections are separated by ``/``; sections left out at the end are blank. In a section:
a digit for each candidate marked ○ (in an office with ten candidates or more, the
numbers separated by spaces), ``+name`` for a name written in (it ends at a space, a
``/`` or the next ``+``), ``?`` alone for an unreadable section, ``0`` or nothing for a
blank one. Full-width characters typed with a Chinese input method (／ ？ ＋ １) are read
as their ASCII forms. A section marking more people than the office has seats is kept
as typed: it is the count that makes it invalid for that office (DOMAIN §7 item 3).

The marks are the rules core's form of a ballot (:data:`huanjie.rules.tally.Ballot`).
:func:`clean` puts marks in one canonical form (every office present, each section's
candidates in ballot order, then the written names), so that two counters who read
the same ballot enter the same marks, whatever order they typed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from huanjie.rules.names import sort_key

__all__ = ["INVALID", "MAX_NAME", "InputError", "Keyboard", "clean", "person"]

INVALID = "invalid"

#: The longest name written in that is kept (the length of a name on the records).
MAX_NAME = 50

VOID = {"x", "×", "✕", "✗"}
BLANK = "0"
UNREADABLE = "?"
WRITE_IN = "+"
SECTION = "/"

_TOKEN = re.compile(r"\+[^\s+]*|\d+|[^\s+\d]+")
_SLATE_ID = re.compile(r"c\d+")


class InputError(ValueError):
    """A ballot that cannot be read as typed or given; the message says where."""


@dataclass(frozen=True)
class Keyboard:
    """The keys of a poll's slate: office ids in ballot order, and for each office the
    ids of its candidates in ballot order (key 1 is the first)."""

    offices: tuple[str, ...]
    keys: Mapping[str, tuple[str, ...]]
    titles: Mapping[str, str]
    names: Mapping[str, str]

    @classmethod
    def of(cls, offices: Sequence[Mapping], candidates: Sequence[Mapping]) -> Keyboard:
        """The keyboard of a slate in the rules core's form (a poll's ``offices`` and
        ``candidates``, already in ballot order)."""
        ids = tuple(o["id"] for o in offices)
        keys = {o: tuple(c["id"] for c in candidates if c["office"] == o) for o in ids}
        titles = {o["id"]: o.get("title", o["id"]) for o in offices}
        return cls(ids, keys, titles, {c["id"]: c["name"] for c in candidates})

    def legend(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """(office, [(key, candidate id), ...]) for each office, to print beside the
        field."""
        return [(o, [(str(i), who) for i, who in enumerate(self.keys[o], 1)]) for o in self.offices]

    def parse(self, text: str) -> dict:
        """The marks of a ballot typed as the module describes. Written names are
        kept as typed; :func:`clean` resolves them."""
        text = unicodedata.normalize("NFKC", text or "").strip()
        if not text:
            raise InputError(_("Type the ballot: 0 for a blank ballot, x for a void one."))
        if text.lower() in VOID:
            return {INVALID: True}
        parts = text.split(SECTION)
        if len(parts) > len(self.offices):
            raise InputError(
                _("%(n)d sections typed; the ballot has %(offices)d (separate them with /).")
                % {"n": len(parts), "offices": len(self.offices)}
            )
        if len(parts) == 1 and parts[0].strip() == BLANK:
            return {o: [] for o in self.offices}
        parts += [""] * (len(self.offices) - len(parts))
        return {o: self._section(o, part) for o, part in zip(self.offices, parts, strict=True)}

    def _section(self, office: str, text: str) -> list[str] | None:
        text = text.strip()
        title = self.titles[office]
        if text == UNREADABLE:
            return None
        if text in ("", BLANK):
            return []
        keys = self.keys[office]
        marked: list[str] = []
        for token in _TOKEN.findall(text):
            if token.startswith(WRITE_IN):
                name = token[1:]
                if not name:
                    raise InputError(_("%(office)s: write the name after +.") % {"office": title})
                marked.append(name)
            elif token.isdigit():
                numbers = token if len(keys) < 10 else [token]
                for number in numbers:
                    index = int(number)
                    if not 1 <= index <= len(keys):
                        raise InputError(
                            _("%(office)s has no candidate %(key)s (keys 1 to %(last)d).")
                            % {"office": title, "key": number, "last": len(keys)}
                        )
                    marked.append(keys[index - 1])
            elif token == UNREADABLE:
                raise InputError(
                    _("%(office)s: ? stands alone for an unreadable section.") % {"office": title}
                )
            elif token.lower() in VOID:
                raise InputError(
                    _("x alone voids the whole ballot; ? marks one section unreadable.")
                )
            else:
                raise InputError(
                    _("%(office)s: “%(text)s” is not a key; write a name after +.")
                    % {"office": title, "text": token}
                )
        return marked

    def format(self, marks: Mapping) -> str:
        """The keys that type ``marks`` (so ``parse(format(m))`` gives ``m`` back for
        clean marks): ``x``, ``0``, or sections joined by `` / ``."""
        if marks.get(INVALID) is True:
            return "x"
        sections = []
        for office in self.offices:
            section = marks.get(office, [])
            if section is None:
                sections.append(UNREADABLE)
                continue
            keys = self.keys[office]
            numbers = [str(keys.index(w) + 1) for w in section if w in keys]
            typed = ("" if len(keys) < 10 else " ").join(numbers)
            # a candidate of another office written in is typed by name
            names = [WRITE_IN + self.names.get(w, w) for w in section if w not in keys]
            sections.append(" ".join(p for p in [typed, *names] if p) or BLANK)
        while len(sections) > 1 and sections[-1] == BLANK:
            sections.pop()
        return " / ".join(sections)


def clean(marks, offices: Sequence[Mapping], candidates: Sequence[Mapping]) -> dict:
    """``marks`` checked against a slate and put in canonical form.

    Offices must be the slate's; each section is a list of people or ``None``
    (unreadable); a person is a candidate id of the slate or a name written in
    (另选他人, see :func:`person`). ``{"invalid": true}`` is a void ballot and stands
    alone. Sections left out are blank. Over-voted sections are kept.
    """
    if not isinstance(marks, Mapping):
        raise InputError(_("A ballot is an object of sections by office."))
    if INVALID in marks:
        flag = marks[INVALID]
        if flag is True:
            if any(v not in ([], ()) for k, v in marks.items() if k != INVALID):
                raise InputError(_("A void ballot has no sections."))
            return {INVALID: True}
        if flag is not False:
            raise InputError(_("“invalid” is true for a void ballot, or left out."))
    ids = [o["id"] for o in offices]
    unknown = [k for k in marks if k not in ids and k != INVALID]
    if unknown:
        raise InputError(_("Unknown office: %(office)s") % {"office": unknown[0]})
    slate = _Slate(candidates)
    out = {}
    for office in ids:
        section = marks.get(office, [])
        if section is None:
            out[office] = None
            continue
        if isinstance(section, str | bytes) or not isinstance(section, Sequence):
            raise InputError(
                _("%(office)s: a section is a list of people, or null when unreadable.")
                % {"office": office}
            )
        people = {slate.person(who, office) for who in section}
        out[office] = sorted(people, key=slate.order_key)
    return out


def person(who, office: str, candidates: Sequence[Mapping]) -> str:
    """The candidate id or the written name ``who`` stands for in ``office``.

    A name written in that is the name of one candidate of the slate is that candidate
    (the same office's candidate first): a voter who writes a candidate's name gives
    them the vote, and a person keeps one id across the offices.
    """
    return _Slate(candidates).person(who, office)


class _Slate:
    def __init__(self, candidates: Sequence[Mapping]):
        self.order = {c["id"]: i for i, c in enumerate(candidates)}
        self.by_name: dict[str, list[Mapping]] = {}
        for c in candidates:
            self.by_name.setdefault(c["name"], []).append(c)

    def person(self, who, office: str) -> str:
        if not isinstance(who, str) or not who.strip():
            raise InputError(
                _("%(office)s: a person is a candidate or a name written in.") % {"office": office}
            )
        who = who.strip()
        if who in self.order:
            return who
        if _SLATE_ID.fullmatch(who):
            raise InputError(_("%(who)s is not a candidate of this vote.") % {"who": who})
        if who == INVALID or len(who) > MAX_NAME:
            raise InputError(_("“%(who)s” cannot be a name written in.") % {"who": who[:MAX_NAME]})
        same = self.by_name.get(who, [])
        ours = [c for c in same if c["office"] == office]
        if len(ours) == 1 or len(same) == 1:
            return (ours or same)[0]["id"]
        return who

    def order_key(self, who: str):
        """Candidates in ballot order, then written names in stroke order."""
        if who in self.order:
            return (0, self.order[who], sort_key(""))
        return (1, 0, sort_key(who))
