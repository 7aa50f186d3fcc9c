"""API of the reports: previous."""

from ninja import Router

router = Router()
