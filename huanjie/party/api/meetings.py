"""API of the party elections: meetings."""

from ninja import Router

router = Router()
