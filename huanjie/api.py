"""The JSON API at /api/ (django-ninja): OpenAPI schema at /api/openapi.json, docs at
/api/docs.

It uses the web session (login once, then call the API from the same browser or a
script that keeps the cookie); unsafe methods need the CSRF token like any form.
Without a session the answer is 401. The role and place scope rules are those of the
pages: out of scope is 404, a missing capability 403.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI
from ninja.security import django_auth

from huanjie.candidates.api import router as candidates_router
from huanjie.complaints.api import router as complaints_router
from huanjie.cycles.api import router as cycles_router
from huanjie.cycles.services import RuleViolation
from huanjie.handover.api import router as handover_router
from huanjie.party.api import router as party_router
from huanjie.places.api import router as places_router
from huanjie.polling.api import router as polling_router
from huanjie.reports.api import router as reports_router
from huanjie.voters.api import router as voters_router

api = NinjaAPI(
    title="Huanjie API",
    version="1",
    description="Term-change elections of villages and communities (村/社区“两委”换届).",
    auth=django_auth,
    urls_namespace="api",
    # The schema and its browsable page are for signed-in users, like every page.
    docs_decorator=login_required,
)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(request, {"detail": "Forbidden"}, status=403)


@api.exception_handler(RuleViolation)
def rule_violation(request, exc):
    """A change the rules refuse: the rule's own message, for the user to read."""
    return api.create_response(request, {"detail": str(exc)}, status=400)


api.add_router("", places_router)
api.add_router("", cycles_router)
api.add_router("", voters_router)
api.add_router("", candidates_router)
api.add_router("", polling_router)
api.add_router("", party_router)
api.add_router("", reports_router)
api.add_router("", complaints_router)
api.add_router("", handover_router)
