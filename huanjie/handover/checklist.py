"""The handover checklist of a place (DOMAIN §9): its items, both sides' ticks, both
sides' signatures, and the printed form.

Who does what:

- the place's election committee, the township and the county prepare the list —
  add, change and remove items, tick them for either side as the sides check
  (capability ``SIGN_OFF``, the one for the place's own paperwork);
- the township and the county record the signatures, since the upper level
  supervises the handover (监交) — capability ``EDIT_ELECTIONS``;
- everyone in scope reads it (``VIEW``).

A side signs for the whole list, so signing is refused while an item is open
(:func:`huanjie.rules.handover.check_signing`), and once either side has signed the
list is locked: a signature covers the list as it was signed. Changing what an item
says clears its ticks, since the sides ticked the earlier wording. When both sides
have signed, the timeline's handover step is signed off on the later day.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from huanjie.accounts import permissions
from huanjie.audit.snapshot import snapshot
from huanjie.audit.trail import record
from huanjie.cycles.services import RuleViolation, sign_off_when_ready
from huanjie.cycles.timeline import localized
from huanjie.handover import form
from huanjie.handover.models import Handover, HandoverItem
from huanjie.rules import handover as rules

#: Prepare the list and tick items: the place's committee, the township, the county.
PREPARE = permissions.SIGN_OFF
#: Record the signatures and make the archive: the township and the county.
SUPERVISE = permissions.EDIT_ELECTIONS

ITEM_FIELDS = ("title", "description", "count", "note", "outgoing_checked", "incoming_checked")
DETAIL_FIELDS = ("handed_on", "supervisor", "note")


def _sign_fields(side: str) -> tuple[str, ...]:
    return (f"{side}_name", f"{side}_signed_on")


def _refuse(findings) -> None:
    errors = [f for f in findings if f.is_error]
    if errors:
        raise RuleViolation("；".join(localized(f.message_zh, f.message_en) for f in errors))


def _require_unsigned(handover: Handover) -> None:
    """Refuse a change to a signed list, as the database has it now (the caller's copy
    may be older than a signature recorded since)."""
    signed = Handover.objects.filter(pk=handover.pk).filter(
        Q(outgoing_signed_on__isnull=False) | Q(incoming_signed_on__isnull=False)
    )
    if signed.exists():
        raise RuleViolation(
            _(
                "The handover has been signed: its list can no longer be changed "
                "(a signature covers the list as it was signed)."
            )
        )


def _side(side: str) -> str:
    if side not in rules.SIDES:
        raise RuleViolation(_("Unknown side %(side)s: outgoing or incoming.") % {"side": side})
    return side


def handover_of(cycle, place) -> Handover | None:
    return Handover.objects.filter(cycle=cycle, place=place).first()


def rule_items(handover: Handover) -> list[rules.Item]:
    return [
        rules.Item(i.title, i.description, i.count, i.outgoing_checked, i.incoming_checked)
        for i in handover.items.all()
    ]


@transaction.atomic
def start(user, cycle, place) -> Handover:
    """The place's handover, created with the five seed items the first time."""
    permissions.require(user, PREPARE, place)
    if not place.is_electing:
        raise RuleViolation(_("Only a village or a community hands over a committee."))
    handover, created = Handover.objects.get_or_create(cycle=cycle, place=place)
    if created:
        HandoverItem.objects.bulk_create(
            HandoverItem(
                handover=handover,
                key=seed.key,
                title=seed.title_zh,
                description="",
                rank=rank,
            )
            for rank, seed in enumerate(rules.SEED_ITEMS)
        )
        record(
            user,
            "handover.start",
            handover,
            after={"items": [s.title_zh for s in rules.SEED_ITEMS]},
            place=place,
        )
    return handover


def _clean_count(count) -> int | None:
    if count in (None, ""):
        return None
    try:
        return int(count)
    except (TypeError, ValueError):
        raise RuleViolation(_("Count must be a whole number.")) from None


@transaction.atomic
def add_item(
    user, handover: Handover, title: str, description="", count=None, note=""
) -> HandoverItem:
    permissions.require(user, PREPARE, handover.place)
    _require_unsigned(handover)
    count = _clean_count(count)
    _refuse(rules.check_item(title, count))
    last = handover.items.order_by("-rank").values_list("rank", flat=True).first()
    item = HandoverItem.objects.create(
        handover=handover,
        title=title.strip(),
        description=description.strip(),
        count=count,
        note=note.strip(),
        rank=(last or 0) + 1,
    )
    record(user, "handover.item_add", item, after=snapshot(item, ITEM_FIELDS), place=handover.place)
    return item


@transaction.atomic
def change_item(user, item: HandoverItem, *, title: str, description="", count=None, note=""):
    """Change what an item says; its ticks are cleared if the content changed, since
    the sides ticked the earlier wording."""
    handover = item.handover
    permissions.require(user, PREPARE, handover.place)
    _require_unsigned(handover)
    count = _clean_count(count)
    _refuse(rules.check_item(title, count))
    before = snapshot(item, ITEM_FIELDS)
    new = {"title": title.strip(), "description": description.strip(), "count": count}
    if any(getattr(item, k) != v for k, v in new.items()):
        item.outgoing_checked = item.incoming_checked = False
    for key, value in new.items():
        setattr(item, key, value)
    item.note = note.strip()
    item.save()
    record(
        user,
        "handover.item_change",
        item,
        before=before,
        after=snapshot(item, ITEM_FIELDS),
        place=handover.place,
    )
    return item


@transaction.atomic
def remove_item(user, item: HandoverItem) -> None:
    handover = item.handover
    permissions.require(user, PREPARE, handover.place)
    _require_unsigned(handover)
    before = snapshot(item, ITEM_FIELDS)
    record(user, "handover.item_remove", item, before=before, place=handover.place)
    item.delete()


@transaction.atomic
def tick(user, item: HandoverItem, side: str, checked: bool = True) -> HandoverItem:
    """Record that ``side`` has checked the item (or take the tick back)."""
    handover = item.handover
    permissions.require(user, PREPARE, handover.place)
    _require_unsigned(handover)
    field = f"{_side(side)}_checked"
    before = snapshot(item, (field,))
    setattr(item, field, checked)
    item.save(update_fields=[field])
    record(
        user,
        "handover.tick",
        item,
        before=before,
        after=snapshot(item, (field,)),
        place=handover.place,
    )
    return item


@transaction.atomic
def set_details(user, handover: Handover, *, handed_on: date | None, supervisor="", note=""):
    permissions.require(user, PREPARE, handover.place)
    _require_unsigned(handover)
    if handed_on is not None and handed_on > timezone.localdate():
        raise RuleViolation(_("The handover day cannot be in the future."))
    before = snapshot(handover, DETAIL_FIELDS)
    handover.handed_on = handed_on
    handover.supervisor = supervisor.strip()
    handover.note = note.strip()
    handover.save(update_fields=list(DETAIL_FIELDS))
    record(
        user,
        "handover.details",
        handover,
        before=before,
        after=snapshot(handover, DETAIL_FIELDS),
        place=handover.place,
    )
    return handover


@transaction.atomic
def sign(user, handover: Handover, side: str, name: str, signed_on: date | None = None):
    """Record that ``name`` signed the form for ``side`` on ``signed_on``; refused
    while an item is open or if that side has signed already. With both signatures
    the timeline's handover step is signed off."""
    permissions.require(user, SUPERVISE, handover.place)
    side = _side(side)
    list(Handover.objects.select_for_update().filter(pk=handover.pk))  # one signer at a time
    handover.refresh_from_db()
    signed = {s: handover.signed(s) for s in rules.SIDES}
    _refuse(rules.check_signing(side, name, rule_items(handover), signed))
    today = timezone.localdate()
    signed_on = signed_on or today
    if signed_on > today:
        raise RuleViolation(_("A signature cannot be dated in the future."))
    before = snapshot(handover, _sign_fields(side))
    setattr(handover, f"{side}_name", name.strip())
    setattr(handover, f"{side}_signed_on", signed_on)
    setattr(handover, f"{side}_recorded_by", user)
    setattr(handover, f"{side}_recorded_at", timezone.now())
    handover.save()
    record(
        user,
        "handover.sign",
        handover,
        before=before,
        after={**snapshot(handover, _sign_fields(side)), "side": side},
        place=handover.place,
    )
    if handover.complete:
        day = max(handover.outgoing_signed_on, handover.incoming_signed_on)
        sign_off_when_ready(user, handover.cycle, handover.place, {"handover": day})
    return handover


# The printed form


SIGNER_ROLES = {
    "outgoing": "移交方（上届班子）",
    "incoming": "接收方（新一届班子）",
}


def _recorded(handover: Handover, side: str) -> str:
    by = getattr(handover, f"{side}_recorded_by")
    at = getattr(handover, f"{side}_recorded_at")
    if by is None or at is None:
        return ""
    return f"系统登记：{by.get_username()}，{timezone.localtime(at):%Y-%m-%d %H:%M}"


def form_of(handover: Handover) -> form.HandoverForm:
    place = handover.place
    signers = [
        form.FormSigner(
            SIGNER_ROLES[side],
            getattr(handover, f"{side}_name"),
            getattr(handover, f"{side}_signed_on"),
            _recorded(handover, side),
        )
        for side in ("outgoing", "incoming")
    ]
    signers.append(form.FormSigner("监交人", handover.supervisor))
    return form.HandoverForm(
        title=f"{place.name}新老班子交接清单",
        place=place.name,
        cycle=handover.cycle.name,
        items=[
            form.FormItem(
                i.title, i.description, i.count, i.note, i.outgoing_checked, i.incoming_checked
            )
            for i in handover.items.all()
        ],
        signers=signers,
        handed_on=handover.handed_on,
        note=handover.note,
    )


def form_pdf(handover: Handover) -> bytes:
    """The printable handover form with both signature lines."""
    return form.handover_form(form_of(handover))
