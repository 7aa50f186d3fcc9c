"""API of the party elections: roster."""

from ninja import Router

router = Router()
