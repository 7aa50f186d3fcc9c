"""API of the reports: statistics."""

from ninja import Router

router = Router()
