"""API: complaints and incidents."""

from ninja import Router

router = Router(tags=["complaints"])
