"""Login throttling: after too many failures, a username or an address waits.

Counting per username stops guessing one account's password from many addresses;
counting per address stops trying many accounts from one machine.
"""

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.lower()}", f"login-fail:addr:{address}"]


def is_locked(username: str, address: str) -> bool:
    limit = settings.LOGIN_FAILURE_LIMIT
    return any((cache.get(key) or 0) >= limit for key in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        cache.add(key, 0, settings.LOGIN_LOCKOUT_SECONDS)
        cache.incr(key)


def clear(username: str, address: str) -> None:
    cache.delete_many(_keys(username, address))
