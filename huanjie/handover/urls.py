"""Pages: handover and archive."""

from huanjie.handover.views import urlpatterns

__all__ = ["urlpatterns"]
