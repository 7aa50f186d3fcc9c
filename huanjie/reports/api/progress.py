"""API of the reports: progress."""

from ninja import Router

router = Router()
