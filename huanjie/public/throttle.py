"""How often the voter self-check may be asked: per address and per ID number.

Counting per address stops one machine from walking through numbers; counting per
number stops many machines from guessing the name that goes with one. Every try
counts, answered or not. The tries of the last ``PUBLIC_CHECK_WINDOW`` seconds are kept
in the cache (a list of times per key), so the limit is exactly "so many in any such
period" and the page can say when the next try is possible. The ID number is never
part of a cache key: the key holds a keyed hash of it.
"""

from __future__ import annotations

import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

#: Tries allowed per address and per ID number within the window.
DEFAULT_LIMIT = 10
#: The window, in seconds.
DEFAULT_WINDOW = 10 * 60

#: The clock, replaceable in tests.
clock = time.time


def limit() -> int:
    return getattr(settings, "PUBLIC_CHECK_LIMIT", DEFAULT_LIMIT)


def window() -> int:
    return getattr(settings, "PUBLIC_CHECK_WINDOW", DEFAULT_WINDOW)


def _keys(address: str, id_number: str) -> list[str]:
    keys = [f"public-check:addr:{address}"]
    if id_number:
        digest = salted_hmac("huanjie.public.throttle", id_number).hexdigest()
        keys.append(f"public-check:id:{digest}")
    return keys


def _recent(key: str, now: float) -> list[float]:
    return [t for t in cache.get(key) or [] if t > now - window()]


def wait(address: str, id_number: str = "") -> int:
    """Seconds until the next try is allowed; 0 when it is allowed now."""
    now = clock()
    longest = 0.0
    for key in _keys(address, id_number):
        tries = _recent(key, now)
        if len(tries) >= limit():
            # The try that leaves the window first frees a place for the next one.
            freed = sorted(tries)[len(tries) - limit()] + window()
            longest = max(longest, freed - now)
    return math.ceil(longest)


def record_try(address: str, id_number: str = "") -> None:
    now = clock()
    for key in _keys(address, id_number):
        cache.set(key, [*_recent(key, now), now], window())
