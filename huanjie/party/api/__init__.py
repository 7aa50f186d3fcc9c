"""The JSON API of the party elections, one module per part of the work."""

from ninja import Router

from huanjie.party.api import congress, meetings, plenary, roster

router = Router(tags=["party"])
router.add_router("", roster.router)
router.add_router("", meetings.router)
router.add_router("", plenary.router)
router.add_router("", congress.router)
