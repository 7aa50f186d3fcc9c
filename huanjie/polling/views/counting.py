"""The count of a poll (DOMAIN §6–7): the sheets of the boxes, the ballots typed by two
counters, the reconciliation where they differ, or the tally sheet's totals; then the
result computed by the rules core, shown and explained.

Ballot entry is made for keyboard speed: each counter has their own page (counter 1
or 2 in the URL) with one field; a ballot is a few keys (``1 / 13``, see
:mod:`huanjie.polling.keys`), Enter saves it, and the field is empty again under the
next number. The answer replaces the form in place (htmx) with the cursor back in the
field. A counter sees only their own entries; the two are compared on the
reconciliation screen, where the scrutineers read the paper ballot.

Every rule is :mod:`huanjie.polling.counting`'s and the rules core's; the views read
the form and show the answer.
"""

from django.contrib import messages
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from huanjie.accounts import permissions
from huanjie.audit.trail import history
from huanjie.cycles.services import RuleViolation
from huanjie.polling import counting, keys
from huanjie.polling.models import BallotEntry, Poll, Station
from huanjie.polling.views import PREFIX, form_int, place_poll
from huanjie.rules import tally

POLL = PREFIX + "<int:election_id>/polls/<int:poll_id>/"
COUNT = POLL + "count/"

#: Entries shown under the field, latest first.
RECENT = 12
#: Discrepancies shown at once on the reconciliation screen.
DIFFER_PAGE = 100

#: Why a whole vote is void (CONTRACTS §4), for people.
VOID_REASONS = {
    "returned_exceeds_issued": gettext_lazy(
        "More ballots were returned than issued (DOMAIN §7 item 1)."
    ),
    "turnout_not_majority": gettext_lazy(
        "Not more than half of the registered voters voted (DOMAIN §7 item 2)."
    ),
    "quorum_not_met": gettext_lazy(
        "Not more than four fifths of the members due to attend were present (DOMAIN §8)."
    ),
}

#: Actions of the count shown in its history.
COUNT_ACTIONS = (
    "polling.ballot_reconcile",
    "polling.totals",
    "polling.box_count",
    "polling.count_method",
    "polling.count",
)


def _counter(counter: int) -> int:
    if counter not in counting.COUNTERS:
        raise Http404
    return counter


def _urls(cycle, place, election, poll) -> dict:
    args = [cycle.pk, place.code, election.pk, poll.pk]
    return {
        "place": reverse("polling-place", args=[cycle.pk, place.code]),
        "count": reverse("polling-count", args=args),
        "entry1": reverse("polling-count-entry", args=[*args, 1]),
        "entry2": reverse("polling-count-entry", args=[*args, 2]),
        "reconcile": reverse("polling-count-reconcile", args=args),
        "totals": reverse("polling-count-totals", args=args),
        "box": reverse("polling-count-box", args=args),
        "method": reverse("polling-count-method", args=args),
        "compute": reverse("polling-count-compute", args=args),
        "result": reverse("polling-result", args=args),
    }


def _context(request, cycle, place, election, poll, **extra) -> dict:
    return {
        "cycle": cycle,
        "place": place,
        "election": election,
        "poll": poll,
        "locked": poll.state == Poll.State.CONFIRMED,
        "can_run": permissions.can(request.user, permissions.RUN_POLL, place)
        and poll.state != Poll.State.CONFIRMED,
        "urls": _urls(cycle, place, election, poll),
        **extra,
    }


# Reading marks back for people


def legend(poll) -> list[dict]:
    """Each office with its seats and its candidates' keys, for the page beside the
    field."""
    board = counting.keyboard(poll)
    names = {c["id"]: c["name"] for c in poll.candidates}
    offices = {o["id"]: o for o in poll.offices}
    return [
        {
            "title": offices[office]["title"],
            "seats": offices[office]["seats"],
            "keys": [(key, names[who]) for key, who in pairs],
        }
        for office, pairs in board.legend()
    ]


def reading(poll, marks, board=None) -> dict | None:
    """A ballot as typed (its keys) and as read (names per office), or None when not
    entered."""
    if marks is None:
        return None
    board = board or counting.keyboard(poll)
    names = {c["id"]: c["name"] for c in poll.candidates}
    void = marks.get(tally.INVALID) is True
    sections = []
    if not void:
        for office in poll.offices:
            section = marks.get(office["id"], [])
            if section is None:
                text = _("unreadable")
            elif not section:
                text = "—"
            else:
                text = "、".join(names.get(w, w) for w in section)
            sections.append((office["title"], text))
    return {"keys": board.format(marks), "void": void, "sections": sections}


# The overview


def overview(request, pk, code, election_id, poll_id):
    """The count of a poll: how it is counted, the boxes with their sheets, how far
    the two counters are, and the button that counts."""
    cycle, place, election, poll = place_poll(request, pk, code, election_id, poll_id)
    return render(request, "polling/count.html", _overview_context(request, cycle, place, poll))


def _overview_context(request, cycle, place, poll) -> dict:
    entries = counting.both_entries(poll) if poll.method == Poll.Method.BALLOTS else None
    rows = counting.box_rows(poll, entries)
    sheets = [r for r in rows if r.issued is not None]
    totals = {
        "issued": sum(r.issued for r in sheets),
        "returned": sum(r.returned for r in sheets),
        "entered": sum(r.entered for r in rows),
        "valid": sum(r.valid or 0 for r in rows),
        "invalid": sum(r.invalid or 0 for r in rows),
    }
    progress = counting.progress(poll, entries) if entries is not None else None
    warnings = []
    if sheets and totals["returned"] > totals["issued"]:
        warnings.append(
            _(
                "%(returned)d ballots returned for %(issued)d issued: the count will find "
                "the vote void (DOMAIN §7 item 1). Check the sheets."
            )
            % totals
        )
    if progress and sheets and progress.entered[1] != totals["returned"]:
        warnings.append(
            _("%(returned)d ballots returned; counter 1 has entered %(entered)d.")
            % {"returned": totals["returned"], "entered": progress.entered[1]}
        )
    if not sheets:
        warnings.append(
            _(
                "No box's sheet is entered: the ballots issued are the check-ins and "
                "the ballots returned those entered."
            )
        )
    records = history(target=poll).filter(action__in=COUNT_ACTIONS)
    return _context(
        request,
        cycle,
        place,
        poll.election,
        poll,
        rows=rows,
        totals=totals,
        progress=progress,
        warnings=warnings,
        figures=counting.ballot_figures(poll),
        methods=Poll.Method.choices,
        can_switch=not poll.entries.exists() and not any((poll.counts or {}).values()),
        records=records[:20],
    )


@require_POST
def box(request, pk, code, election_id, poll_id):
    """The sheet of one station or box: ballots issued and returned."""
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    station = get_object_or_404(Station, pk=request.POST.get("station") or 0, election=election)
    try:
        counting.set_box(
            request.user,
            poll,
            station,
            form_int(request.POST.get("issued"), _("Ballots issued")),
            form_int(request.POST.get("returned"), _("Ballots returned")),
        )
        messages.success(request, _("%(station)s: sheet entered.") % {"station": station.name})
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect(_urls(cycle, place, election, poll)["count"])


@require_POST
def method(request, pk, code, election_id, poll_id):
    """Count ballot by ballot or from the tally sheet."""
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    try:
        counting.set_method(request.user, poll, request.POST.get("method", ""))
        messages.success(request, _("Counted: %(method)s.") % {"method": poll.get_method_display()})
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect(_urls(cycle, place, election, poll)["count"])


@require_POST
def compute(request, pk, code, election_id, poll_id):
    """Count with the rules core; the result page shows the answer."""
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    urls = _urls(cycle, place, election, poll)
    try:
        counting.compute(request.user, poll)
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect(urls["count"])
    messages.success(request, _("Counted by the rules."))
    return redirect(urls["result"])


# A counter's page


def entry(request, pk, code, election_id, poll_id, counter):
    """A counter's page: the field, the keys, and the counter's own last entries.
    ``?number=N`` opens ballot N of this counter to change it."""
    counter = _counter(counter)
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    if request.method == "POST":
        return _enter(request, cycle, place, election, poll, counter)
    number = counting.next_number(poll, counter)
    typed = ""
    editing = None
    if request.GET.get("number", "").isdigit():
        editing = int(request.GET["number"])
        found = poll.entries.filter(counter=counter, number=editing).first()
        number = editing
        typed = counting.keyboard(poll).format(found.marks) if found else ""
    context = _entry_context(
        request, cycle, place, election, poll, counter, number=number, typed=typed
    )
    context["editing"] = editing
    return render(request, "polling/count_entry.html", context)


def _entry_context(request, cycle, place, election, poll, counter, **extra) -> dict:
    board = counting.keyboard(poll)
    mine = poll.entries.filter(counter=counter)
    recent = [
        {"entry": e, "reading": reading(poll, e.marks, board)}
        for e in mine.order_by("-at", "-number")[:RECENT]
    ]
    urls = _urls(cycle, place, election, poll)
    urls["here"] = urls[f"entry{counter}"]
    return _context(
        request,
        cycle,
        place,
        election,
        poll,
        counter=counter,
        legend=legend(poll),
        recent=recent,
        entered=mine.count(),
        **extra,
    ) | {"urls": urls}


def _enter(request, cycle, place, election, poll, counter):
    """Save one ballot; the fresh form under the next number, or the typed one with the
    reason it was refused."""
    typed = request.POST.get("keys", "")
    number_text = request.POST.get("number", "")
    error = saved = None
    try:
        number = form_int(number_text, _("Ballot number"))
        marks = counting.keyboard(poll).parse(typed)
        done = counting.enter(request.user, poll, counter, number, marks)
        saved = {"number": number, "reading": reading(poll, done.marks)}
    except (RuleViolation, keys.InputError) as exc:
        error = str(exc)
    warning = _beyond(poll, number) if saved else None
    if not request.htmx:
        if warning:
            messages.warning(request, warning)
        if error:
            messages.error(request, error)
            context = _entry_context(
                request, cycle, place, election, poll, counter, number=number_text, typed=typed
            )
            return render(request, "polling/count_entry.html", context, status=400)
        messages.success(request, _saved_message(saved))
        return redirect(_urls(cycle, place, election, poll)[f"entry{counter}"])
    if error:
        extra = {"number": number_text, "typed": typed, "error": error}
    else:
        extra = {
            "number": counting.next_number(poll, counter),
            "typed": "",
            "saved": saved,
            "message": _saved_message(saved),
            "warning": warning,
        }
    context = _entry_context(request, cycle, place, election, poll, counter, **extra)
    return render(request, "polling/count_entry_panel.html", context)


def _beyond(poll, number: int) -> str | None:
    """A warning when ``number`` is beyond the ballots the boxes' sheets returned."""
    returned = poll.box_counts.aggregate(n=Sum("returned"))["n"]
    if returned is None or number <= returned:
        return None
    return _(
        "Ballot %(number)d is beyond the %(returned)d ballots the boxes returned: check the number."
    ) % {"number": number, "returned": returned}


def _saved_message(saved) -> str:
    read = saved["reading"]
    if read["void"]:
        text = _("void ballot")
    else:
        text = " / ".join(t for _title, t in read["sections"])
    return _("Ballot %(number)d saved: %(text)s") % {"number": saved["number"], "text": text}


@require_POST
def delete(request, pk, code, election_id, poll_id, counter, number):
    """Take back one of the counter's entries."""
    counter = _counter(counter)
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    found = get_object_or_404(BallotEntry, poll=poll, counter=counter, number=number)
    try:
        counting.delete_entry(request.user, found)
        messages.success(request, _("Ballot %(number)d taken back.") % {"number": number})
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect(_urls(cycle, place, election, poll)[f"entry{counter}"])


# The reconciliation screen


def reconcile(request, pk, code, election_id, poll_id):
    """Each ballot the two counters read differently, both readings side by side; the
    scrutineers take the paper ballot and type what it says, or choose one of the
    two."""
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    urls = _urls(cycle, place, election, poll)
    typed = {}
    if request.method == "POST":
        number_text = request.POST.get("number", "")
        try:
            number = form_int(number_text, _("Ballot number"))
            choose = request.POST.get("choose")
            if choose in ("1", "2"):
                marks = counting.readings(poll, number)[int(choose)]
                if marks is None:
                    raise RuleViolation(
                        _("Counter %(counter)s did not enter ballot %(number)d.")
                        % {"counter": choose, "number": number}
                    )
            else:
                marks = counting.keyboard(poll).parse(request.POST.get("keys", ""))
            counting.reconcile(request.user, poll, number, marks)
        except (RuleViolation, keys.InputError) as exc:
            messages.error(request, str(exc))
            typed = {number_text: request.POST.get("keys", "")}
        else:
            messages.success(request, _("Ballot %(number)d settled.") % {"number": number})
            return redirect(urls["reconcile"])
    board = counting.keyboard(poll)
    differ = counting.disagreements(poll)
    rows = [
        {
            "number": number,
            "first": reading(poll, first, board),
            "second": reading(poll, second, board),
            "typed": typed.get(str(number), ""),
        }
        for number, first, second in counting.disagreement_rows(poll, DIFFER_PAGE)
    ]
    return render(
        request,
        "polling/count_reconcile.html",
        _context(
            request,
            cycle,
            place,
            election,
            poll,
            rows=rows,
            differ=len(differ),
            legend=legend(poll),
        ),
        status=400 if typed else 200,
    )


# The tally sheet


def totals(request, pk, code, election_id, poll_id):
    """The totals of the tally sheet: each candidate's votes per office, the names
    written in with theirs, and the sections invalid for the office."""
    cycle, place, election, poll = place_poll(
        request, pk, code, election_id, poll_id, permissions.RUN_POLL
    )
    urls = _urls(cycle, place, election, poll)
    given = poll.counts or {}
    status = 200
    if request.method == "POST":
        try:
            given = _posted_totals(request.POST, poll)
            counting.enter_totals(request.user, poll, given)
        except RuleViolation as exc:
            messages.error(request, str(exc))
            status = 400
        else:
            messages.success(request, _("The totals are entered."))
            return redirect(urls["count"])
    offices = []
    for office in poll.offices:
        mine = dict(given.get(office["id"], {}))
        people = [c for c in poll.candidates if c["office"] == office["id"]]
        ours = {c["id"] for c in people}
        offices.append(
            {
                "id": office["id"],
                "title": office["title"],
                "seats": office["seats"],
                "people": [(c, mine.get(c["id"], "")) for c in people],
                "invalid": mine.get(tally.INVALID, ""),
                "others": "\n".join(
                    f"{_name_of(poll, who)} {n}"
                    for who, n in mine.items()
                    if who != tally.INVALID and who not in ours
                ),
            }
        )
    return render(
        request,
        "polling/count_totals.html",
        _context(request, cycle, place, election, poll, offices=offices),
        status=status,
    )


def _name_of(poll, who: str) -> str:
    return next((c["name"] for c in poll.candidates if c["id"] == who), who)


def _posted_totals(data, poll) -> dict:
    """The totals of the form: ``votes_<office>_<candidate>``, ``invalid_<office>`` and
    ``others_<office>`` (lines "name votes")."""
    counts = {}
    for office in poll.offices:
        key = office["id"]
        votes = {}
        for c in poll.candidates:
            if c["office"] == key:
                value = data.get(f"votes_{key}_{c['id']}", "").strip()
                votes[c["id"]] = form_int(value or 0, c["name"])
        invalid = data.get(f"invalid_{key}", "").strip()
        votes[tally.INVALID] = form_int(invalid or 0, _("Invalid"))
        for number, line in enumerate(data.get(f"others_{key}", "").splitlines(), 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) < 2 or not parts[-1].isdigit():
                raise RuleViolation(
                    _("%(office)s, line %(line)d: write the name, a space, and the votes.")
                    % {"office": office["title"], "line": number}
                )
            name = " ".join(parts[:-1])
            if name in votes:
                raise RuleViolation(
                    _("%(office)s: %(name)s is given twice.")
                    % {"office": office["title"], "name": name}
                )
            votes[name] = int(parts[-1])
        counts[key] = votes
    return counts


# The result


def result(request, pk, code, election_id, poll_id):
    """The result: a void vote's reasons, the turnout, and per office the threshold,
    each person's votes with why they are or are not elected (in the page's language),
    the ties to vote on again, the seats left open and who stands in the run-off."""
    cycle, place, election, poll = place_poll(request, pk, code, election_id, poll_id)
    kept = counting.counted(poll)
    context = _context(request, cycle, place, election, poll, result=kept)
    if kept is not None:
        language = counting.language_of(get_language())
        context["void_reasons"] = [VOID_REASONS.get(r, r) for r in kept.void_reasons]
        context["offices"] = [_office(o, language) for o in kept.offices]
        context["explained"] = all(o.reasons for o in kept.offices if o.votes)
    return render(request, "polling/result.html", context)


def _office(office: tally.OfficeResult, language: str) -> dict:
    names = {t.who: t.name for t in office.votes}
    sentences = dict((t.who, text) for t, text in tally.explain(office, language))
    return {
        "office": office,
        "people": [
            {
                "tally": t,
                "elected": t.who in office.elected,
                "revote": any(t.who in group for group in office.revote),
                "runoff": t.who in office.runoff_candidates,
                "sentence": sentences[t.who] if office.reasons else "",
            }
            for t in office.votes
        ],
        "elected": [names.get(w, w) for w in office.elected],
        "revote": [[names.get(w, w) for w in group] for group in office.revote],
        "runoff": [names.get(w, w) for w in office.runoff_candidates],
    }


urlpatterns = [
    path(COUNT, overview, name="polling-count"),
    path(COUNT + "<int:counter>/", entry, name="polling-count-entry"),
    path(COUNT + "<int:counter>/<int:number>/delete/", delete, name="polling-count-entry-delete"),
    path(COUNT + "reconcile/", reconcile, name="polling-count-reconcile"),
    path(COUNT + "totals/", totals, name="polling-count-totals"),
    path(COUNT + "boxes/", box, name="polling-count-box"),
    path(COUNT + "method/", method, name="polling-count-method"),
    path(COUNT + "compute/", compute, name="polling-count-compute"),
    path(POLL + "result/", result, name="polling-result"),
]

__all__ = ["legend", "reading", "urlpatterns"]
