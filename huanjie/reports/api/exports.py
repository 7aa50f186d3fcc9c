"""API of the reports: exports."""

from ninja import Router

router = Router()
