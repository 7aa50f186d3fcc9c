"""API: public pages."""

from ninja import Router

router = Router(tags=["public"])
