"""API of the party elections: plenary."""

from ninja import Router

router = Router()
