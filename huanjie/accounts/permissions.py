"""What each role may do, and where.

A role's scope is the subtree of its place; nothing outside it is visible, so a place
out of scope is answered as "not found" rather than "forbidden" (it does not exist for
that user). Observers and review departments read; only the roles that do the work
change anything.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from huanjie.accounts.models import RoleKind

VIEW = "view"
SIGN_OFF = "sign_off"  # sign off timeline steps, attach documents
EDIT_ELECTIONS = "edit_elections"  # election day, offices and seats
EDIT_PLACES = "edit_places"  # import and edit places
CONFIGURE_CYCLE = "configure_cycle"  # cycles, profile choice and overrides
REGISTER_VOTERS = "register_voters"  # residents files, rolls, notices, objections, cards
RESOLVE_CONFLICTS = "resolve_conflicts"  # where a person on two rolls is registered
NOMINATE = "nominate"  # nomination meetings, 两推一选, withdrawals, candidate notices
REVIEW_CANDIDATES = "review_candidates"  # verdicts of the joint review (联审)
RUN_POLL = "run_poll"  # stations, proxies, check-in, count entry and results
RUN_PARTY = "run_party"  # party roster, leaves, members' meetings, plenary, congress
APPROVE_PARTY = "approve_party"  # the upper level's consent and approval (批复)

CAPABILITIES = {
    RoleKind.COUNTY_ADMIN: {
        VIEW,
        SIGN_OFF,
        EDIT_ELECTIONS,
        EDIT_PLACES,
        CONFIGURE_CYCLE,
        REGISTER_VOTERS,
        RESOLVE_CONFLICTS,
        NOMINATE,
        REVIEW_CANDIDATES,
        RUN_POLL,
        RUN_PARTY,
        APPROVE_PARTY,
    },
    RoleKind.TOWNSHIP_STAFF: {
        VIEW,
        SIGN_OFF,
        EDIT_ELECTIONS,
        REGISTER_VOTERS,
        RESOLVE_CONFLICTS,
        NOMINATE,
        REVIEW_CANDIDATES,
        RUN_POLL,
        RUN_PARTY,
        APPROVE_PARTY,
    },
    RoleKind.COMMITTEE_MEMBER: {VIEW, SIGN_OFF, REGISTER_VOTERS, NOMINATE, RUN_POLL, RUN_PARTY},
    # A department answers for itself; township and county staff enter the answers
    # that reach them on paper, for any department.
    RoleKind.REVIEWER: {VIEW, REVIEW_CANDIDATES},
    RoleKind.OBSERVER: {VIEW},
}


def role_of(user):
    if not user.is_authenticated:
        return None
    return getattr(user, "role", None)


def scope_of(user):
    """The place at the top of what the user may see, or None."""
    role = role_of(user)
    return role.place if role else None


def can(user, capability: str, place=None) -> bool:
    role = role_of(user)
    if role is None or capability not in CAPABILITIES[role.kind]:
        return False
    return place is None or role.place.contains(place)


def visible_places(user):
    from huanjie.places.models import Place

    scope = scope_of(user)
    return Place.objects.within(scope) if scope else Place.objects.none()


def require(user, capability: str, place=None):
    """Raise 404 for a place out of scope, 403 for a capability the role lacks."""
    scope = scope_of(user)
    if scope is None:
        raise PermissionDenied
    if place is not None and not scope.contains(place):
        raise Http404
    if not can(user, capability, place):
        raise PermissionDenied
