"""Pages of the register of complaints (信访/举报, DOMAIN §10): the register of the
user's area searched and filtered, printed as a PDF; a new complaint; one complaint
with its steps, its referral and its outcome; and the panel of what needs attention.

Every rule is the services' (:mod:`huanjie.complaints.register`); the views read the
forms and show the answer.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.candidates.views import form_date, page_query
from huanjie.complaints import printing, register
from huanjie.complaints.attention import attention
from huanjie.complaints.fields import HANDLE, REGISTER, title
from huanjie.complaints.models import Complaint
from huanjie.complaints.views import (
    choices,
    register_places,
    scoped_object,
    township_filter,
    townships_of,
)
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.rules import complaints as rules

PREFIX = "cycles/<int:pk>/complaints/"
PAGE_SIZE = 50


def _filtered(request, cycle, today):
    """The complaints of the user's area narrowed by the request's filters, and the
    filters."""
    scope = permissions.scope_of(request.user)
    chosen = {
        "q": request.GET.get("q", "").strip(),
        "type": request.GET.get("type", ""),
        "state": request.GET.get("state", ""),
        "township": request.GET.get("township", ""),
        "overdue": request.GET.get("overdue", "") == "1",
    }
    found = register.search(
        register.complaints_within(cycle, scope),
        q=chosen["q"],
        type=chosen["type"],
        state=chosen["state"],
        township=township_filter(request),
        overdue=chosen["overdue"],
        today=today,
    )
    return found, chosen, scope


def line(c: Complaint, today) -> dict:
    """A complaint as the register shows it."""
    return {
        "c": c,
        "type": title(c.type_rule),
        "channel": title(rules.Channel(c.channel)),
        "state": register.state(c, today),
        "days_overdue": rules.days_overdue(c.deadline, today, c.closed_on),
        "days_left": 0 if c.is_closed else rules.days_left(c.deadline, today),
        "outcome": title(rules.Outcome(c.outcome)) if c.outcome else "",
        "referred": title(rules.Recipient(c.escalated_to)) if c.escalated_to else "",
    }


def complaint_list(request, pk):
    """The register of the user's area: search and filters (type, state, township,
    overdue), fifty a page."""
    permissions.require(request.user, permissions.VIEW)
    cycle = scoped_cycle(request, pk)
    today = timezone.localdate()
    found, chosen, scope = _filtered(request, cycle, today)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "complaints/register.html",
        {
            "cycle": cycle,
            "scope": scope,
            "page": page,
            "rows": [line(c, today) for c in page.object_list],
            "chosen": chosen,
            "types": choices(rules.ComplaintType),
            "states": [
                ("open", _("Open")),
                ("overdue", _("Overdue")),
                ("closed", _("Closed")),
            ],
            "townships": townships_of(scope),
            "can_register": permissions.can(request.user, REGISTER),
            "page_query": page_query(request),
            "query": request.GET.urlencode(),
        },
    )


def complaint_pdf(request, pk):
    """The register as filtered, every page of it, as a PDF to print and file."""
    permissions.require(request.user, permissions.VIEW)
    cycle = scoped_cycle(request, pk)
    today = timezone.localdate()
    found, _chosen, scope = _filtered(request, cycle, today)
    found = found.prefetch_related("steps").order_by("number")
    pdf = printing.register_pdf(
        [printing.row_of(c, today) for c in found],
        area=scope.name,
        cycle=cycle.name,
        printed_on=today,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"complaints-{scope.code}-{today:%Y%m%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


def complaint_new(request, pk):
    """Register a complaint at a place of the user's area."""
    permissions.require(request.user, REGISTER)
    cycle = scoped_cycle(request, pk)
    today = timezone.localdate()
    values = request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        try:
            place = scoped_place(request, request.POST.get("place", ""), REGISTER)
            complaint = register.register_complaint(
                request.user,
                cycle,
                place,
                type=request.POST.get("type", ""),
                received_on=form_date(request.POST.get("received_on"), today),
                channel=request.POST.get("channel", ""),
                summary=request.POST.get("summary", ""),
                complainant=request.POST.get("complainant", ""),
            )
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("Complaint no. %(number)s is registered; answer by %(deadline)s.")
                % {"number": complaint.number, "deadline": complaint.deadline.isoformat()},
            )
            return redirect("complaint", cycle.pk, complaint.pk)
    return render(
        request,
        "complaints/new.html",
        {
            "cycle": cycle,
            "places": register_places(request.user, cycle),
            "types": choices(rules.ComplaintType),
            "channels": choices(rules.Channel),
            "values": values,
            "today": today,
            "answer_days": rules.ANSWER_DAYS,
        },
        status=400 if request.method == "POST" else 200,
    )


def complaint_detail(request, pk, complaint):
    cycle, c = scoped_object(request, pk, Complaint, complaint)
    today = timezone.localdate()
    to = register.next_referral(c)
    return render(
        request,
        "complaints/complaint.html",
        {
            "cycle": cycle,
            "row": line(c, today),
            "c": c,
            "steps": c.steps.all(),
            "can_handle": permissions.can(request.user, HANDLE, c.place),
            "types": choices(rules.ComplaintType),
            "channels": choices(rules.Channel),
            "outcomes": choices(rules.Outcome),
            "next_referral": title(to) if to else "",
            "today": today,
            "records": history(target=c)[:20],
        },
    )


def _handle(request, pk, complaint, act, done: str):
    """Run one change of the handling and go back to the complaint."""
    cycle, c = scoped_object(request, pk, Complaint, complaint, HANDLE)
    try:
        act(c)
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done % {"number": c.number})
    return redirect("complaint", cycle.pk, c.pk)


@require_POST
def complaint_step(request, pk, complaint):
    post = request.POST
    return _handle(
        request,
        pk,
        complaint,
        lambda c: register.add_step(
            request.user,
            c,
            post.get("action", ""),
            on=form_date(post.get("on"), timezone.localdate()),
            by=post.get("by", ""),
        ),
        _("A step of complaint no. %(number)s is recorded."),
    )


@require_POST
def complaint_escalate(request, pk, complaint):
    return _handle(
        request,
        pk,
        complaint,
        lambda c: register.escalate_complaint(request.user, c, request.POST.get("note", "")),
        _("Complaint no. %(number)s is referred up."),
    )


@require_POST
def complaint_close(request, pk, complaint):
    post = request.POST
    return _handle(
        request,
        pk,
        complaint,
        lambda c: register.close_complaint(
            request.user,
            c,
            post.get("outcome", ""),
            post.get("measures", ""),
            closed_on=form_date(post.get("closed_on"), timezone.localdate()),
        ),
        _("Complaint no. %(number)s is closed."),
    )


@require_POST
def complaint_reopen(request, pk, complaint):
    return _handle(
        request,
        pk,
        complaint,
        lambda c: register.reopen_complaint(request.user, c, request.POST.get("reason", "")),
        _("Complaint no. %(number)s is open again."),
    )


@require_POST
def complaint_change(request, pk, complaint):
    post = request.POST
    fields = {name: post[name] for name in register.CORRECTABLE if name in post}
    return _handle(
        request,
        pk,
        complaint,
        lambda c: register.change_complaint(request.user, c, **fields),
        _("Complaint no. %(number)s is corrected."),
    )


def attention_panel(request, pk):
    """The panel of what needs the user's attention, alone (for htmx to load)."""
    permissions.require(request.user, permissions.VIEW)
    cycle = scoped_cycle(request, pk)
    return render(
        request,
        "complaints/_attention.html",
        {"cycle": cycle, "attention": attention(request.user, cycle)},
    )


urlpatterns = [
    path(PREFIX, complaint_list, name="complaints"),
    path(f"{PREFIX}register.pdf", complaint_pdf, name="complaints_pdf"),
    path(f"{PREFIX}new/", complaint_new, name="complaint_new"),
    path(f"{PREFIX}attention/", attention_panel, name="complaints_attention"),
    path(f"{PREFIX}<int:complaint>/", complaint_detail, name="complaint"),
    path(f"{PREFIX}<int:complaint>/step/", complaint_step, name="complaint_step"),
    path(f"{PREFIX}<int:complaint>/escalate/", complaint_escalate, name="complaint_escalate"),
    path(f"{PREFIX}<int:complaint>/close/", complaint_close, name="complaint_close"),
    path(f"{PREFIX}<int:complaint>/reopen/", complaint_reopen, name="complaint_reopen"),
    path(f"{PREFIX}<int:complaint>/change/", complaint_change, name="complaint_change"),
]
