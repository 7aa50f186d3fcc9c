"""The JSON API of election day, one module per part of the work."""

from ninja import Router

from huanjie.polling.api import checkin, counting, outcomes, polls, setup

router = Router(tags=["polling"])
router.add_router("", polls.router)
router.add_router("", setup.router)
router.add_router("", checkin.router)
router.add_router("", counting.router)
router.add_router("", outcomes.router)
