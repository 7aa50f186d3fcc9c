"""API: handover and archive."""

from ninja import Router

router = Router(tags=["handover"])
