"""Narrowing a list of people by what was typed in a search box: digits (with a final
X) are an ID number, whole or its last characters; anything else is part of a name."""

import re

#: What may be typed of an ID number: up to 17 digits, then a digit or X.
ID_PART = re.compile(r"\d{1,17}[\dX]?")


def id_or_name(found, q: str, *, person: str = ""):
    """``found`` narrowed by ``q``; ``person`` is the lookup to the person's fields
    when they are not on the rows themselves (e.g. ``"resident__"``)."""
    q = q.strip()
    if not q:
        return found
    number = q.upper()
    if ID_PART.fullmatch(number):
        lookup = "id_number" if len(number) == 18 else "id_number__endswith"
        return found.filter(**{person + lookup: number})
    return found.filter(**{person + "name__contains": q})
