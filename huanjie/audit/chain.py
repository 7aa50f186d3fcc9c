"""The hash chain of the audit trail (全程纪实, DOMAIN §10).

Each record's hash covers its own content and the hash of the record before it, so
changing, removing or reordering any record breaks every hash after it. The content
is serialised canonically (sorted keys, no spaces, UTF-8) so the same record hashes
the same on SQLite and PostgreSQL and in any Python version.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

GENESIS = "0" * 64


def canonical(content: Mapping) -> bytes:
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode()


def link(previous_hash: str, content: Mapping) -> str:
    return hashlib.sha256(previous_hash.encode() + canonical(content)).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int
    problem: str  # "previous_hash" (a record before it was removed or reordered) or "hash"


def first_break(records: Iterable[tuple[int, str, str, Mapping]]) -> Break | None:
    """Walk (seq, previous_hash, hash, content) in order; name the first bad record."""
    expected_previous = GENESIS
    for seq, previous_hash, hash_, content in records:
        if previous_hash != expected_previous:
            return Break(seq, "previous_hash")
        if link(previous_hash, content) != hash_:
            return Break(seq, "hash")
        expected_previous = hash_
    return None
