"""Before/after pictures of a model instance for the audit trail."""

from datetime import date, datetime


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(instance, fields) -> dict:
    return {name: _plain(getattr(instance, name)) for name in fields}
