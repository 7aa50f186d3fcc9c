"""The JSON API of the reports, one module per part."""

from ninja import Router

from huanjie.reports.api import exports, previous, progress, statistics

router = Router(tags=["reports"])
router.add_router("", statistics.router)
router.add_router("", previous.router)
router.add_router("", exports.router)
router.add_router("", progress.router)
