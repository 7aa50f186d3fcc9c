"""API: statistics and reports."""

from ninja import Router

router = Router(tags=["reports"])
