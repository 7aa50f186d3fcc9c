"""The places part of the JSON API: search the user's area, read one place.

Lists hold only places in the user's scope; a place outside it is 404, as on the pages
(``huanjie.accounts.permissions``).
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from huanjie.accounts import permissions
from huanjie.places.models import Kind, Place

router = Router(tags=["places"])


class PlaceRef(Schema):
    code: str
    name: str
    kind: Kind


class PlaceOut(Schema):
    code: str
    name: str
    kind: Kind
    kind_title: str
    parent: str | None
    population: int
    households: int

    @staticmethod
    def resolve_kind_title(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent(obj) -> str | None:
        return obj.parent.code if obj.parent_id else None


class PlaceDetail(PlaceOut):
    path: list[PlaceRef]
    children: list[PlaceRef]

    @staticmethod
    def resolve_path(obj, context) -> list:
        """The places above, from the top of the user's scope down."""
        scope = permissions.scope_of(context["request"].user)
        return [a for a in obj.ancestors() if scope.contains(a)]


class PlaceFilters(Schema):
    q: str | None = None
    kind: Kind | None = None
    parent: str | None = None


def scoped_place(request, code: str, capability: str = permissions.VIEW) -> Place:
    """The place with ``code`` if the user may see it (404 otherwise, 403 without the
    capability)."""
    place = get_object_or_404(Place.objects.select_related("parent"), code=code)
    permissions.require(request.user, capability, place)
    return place


@router.get("/places", response=list[PlaceOut])
@paginate(LimitOffsetPagination, max_limit=500)
def list_places(request, filters: Query[PlaceFilters]):
    """Places in the user's scope, by code. ``q`` matches a part of the name or the
    start of the code; ``parent`` gives the places right below that code."""
    permissions.require(request.user, permissions.VIEW)
    found = permissions.visible_places(request.user).select_related("parent")
    if filters.q:
        q = filters.q.strip()
        found = found.filter(Q(name__icontains=q) | Q(code__startswith=q))
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.parent:
        found = found.filter(parent__code=filters.parent)
    return found.order_by("code")


@router.get("/places/{code}", response=PlaceDetail)
def get_place(request, code: str):
    return scoped_place(request, code)
