"""API of the party elections: congress."""

from ninja import Router

router = Router()
