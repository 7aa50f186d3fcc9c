"""Pages of the reports: the statistics of DOMAIN §11 for the user's scope, with the
drill-down county → township → village or community, a table for each group of
figures, and the places whose numbers disagree (:mod:`huanjie.reports.checks`).

The counting is :func:`huanjie.reports.statistics.cached` (kept until the audit trail
records a change); the page only lays it out.
"""

from __future__ import annotations

import html

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from huanjie.accounts import permissions
from huanjie.complaints.fields import title as complaint_title
from huanjie.cycles.timeline import localized
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.documents import charts
from huanjie.documents.numerals import percent
from huanjie.places.models import Kind
from huanjie.reports import checks, statistics, summary
from huanjie.rules import statistics as rules
from huanjie.rules.complaints import ComplaintType
from huanjie.rules.negative_list import NEGATIVE_LIST
from huanjie.voters.models import Category


def within_cycle(cycle, place):
    """The part of ``place`` the cycle covers: the cycle's county for a scope above it."""
    if place.contains(cycle.county) and place != cycle.county:
        return cycle.county
    if not cycle.county.contains(place):
        raise Http404
    return place


def _ethnicities(report) -> list[str]:
    return [e for e, _n in report.total.ethnicity.most_common()]


def tables(report) -> list[dict]:
    """The figures as tables: one row per line of the report, the total last. Each
    table is ``{"id", "title", "columns", "rows": [(place, cells)], "total"}``, the cells
    of a row as HTML."""
    bands = report.bands
    ethnicities = _ethnicities(report)
    items = [str(i.number) for i in NEGATIVE_LIST] + [rules.UNKNOWN]
    unknown = _("not recorded")

    def registration(f):
        return [
            f.registered,
            *(f.registered_by_category[c] for c in Category.values),
            f.supplementary,
        ]

    def nomination(f):
        return [
            f.nomination_places,
            f.nomination_roll,
            f.nomination_present,
            f.nominees,
            f.candidates,
            f.women_candidates,
        ]

    def voting(f):
        return [
            f.registered,
            f.voted,
            percent(f.turnout),
            f.proxies,
            f.proxy_votes,
            f.mobile_box_votes,
            f.assisted,
            f.party_due,
            f.party_present,
            percent(f.party_turnout),
        ]

    def votes(f):
        return [
            f.places,
            f.voting_places,
            f.first_time_success,
            percent(f.first_time_success_rate),
            f.runoff_places,
            f.rerun_places,
            f.seats,
            f.elected,
        ]

    def members(f):
        average = f.average_age
        return [
            f.elected,
            f.sex["M"],
            f.sex["F"],
            f.sex[rules.UNKNOWN],
            percent(f.women_share),
            *(f.age_band[b.key] for b in bands),
            f.age_band[rules.UNKNOWN],
            "—" if average is None else f"{float(average):.1f}",
        ]

    def background(f):
        return [
            f.elected,
            *(f.education[k] for k in rules.EDUCATION),
            f.education[rules.UNKNOWN],
            percent(f.college_share),
            f.party[rules.PARTY_MEMBER],
            f.party[rules.NOT_PARTY_MEMBER],
            percent(f.party_share),
            *(f.ethnicity[e] for e in ethnicities),
        ]

    def heads(f):
        return [
            f.secretaries,
            f.secretaries_under_35,
            f.secretaries_under_40,
            f.directors,
            f.directors_under_35,
            f.directors_under_40,
            f.dual_head_places,
            percent(f.dual_head_rate),
            f.two_committee_members,
            f.cross_appointed,
            percent(f.cross_appointment_rate),
        ]

    def term(f):
        return [
            f.elected,
            f.previous_places,
            f.term[rules.RE_ELECTED],
            f.term[rules.NEW],
            percent(f.re_elected_share),
        ]

    def review(f):
        return [f.disqualified, *(f.disqualified_by_item[i] for i in items)]

    def complaints(f):
        return [f.complaints, *(f.complaints_by_type[t] for t in ComplaintType)]

    specs = [
        (
            "statistics-registration",
            _("Voters registered by category"),
            [
                _("Registered voters"),
                *Category.labels,
                _("Added on election day (补登)"),
            ],
            registration,
        ),
        (
            "statistics-nomination",
            _("Nomination of the committees' candidates"),
            [
                _("Places that held the nomination meeting"),
                _("Voters on the roll"),
                _("Voters present"),
                _("Nominees (初步候选人)"),
                _("Formal candidates"),
                _("Women among them"),
            ],
            nomination,
        ),
        (
            "statistics-voting",
            _("Registration and turnout"),
            [
                _("Registered voters"),
                _("Voted (first vote)"),
                _("Turnout (参选率)"),
                _("Proxies entrusted"),
                _("Votes by proxy"),
                _("Mobile-box votes"),
                _("Helper-written ballots (代写)"),
                _("Party members due"),
                _("Party members present"),
                _("Party member turnout"),
            ],
            voting,
        ),
        (
            "statistics-votes",
            _("Votes of the committees"),
            [
                _("Places"),
                _("Places that voted"),
                _("Filled every seat in the first vote"),
                _("First-time success rate (一次成功率)"),
                _("Needing 另行选举"),
                _("Needing 重新选举"),
                _("Seats"),
                _("Members elected"),
            ],
            votes,
        ),
        (
            "statistics-members",
            _("Members elected by sex and age"),
            [
                _("Members elected"),
                _("Men"),
                _("Women"),
                unknown,
                _("Women share"),
                *(b.label for b in bands),
                _("Age not known"),
                _("Average age"),
            ],
            members,
        ),
        (
            "statistics-background",
            _("Members elected by education, party membership and ethnicity"),
            [
                _("Members elected"),
                *rules.EDUCATION.values(),
                unknown,
                _("College share (大专及以上)"),
                _("Party members"),
                _("Not party members"),
                _("Party share"),
                *(unknown if e == rules.UNKNOWN else e for e in ethnicities),
            ],
            background,
        ),
        (
            "statistics-heads",
            _("Secretaries, directors and the two committees"),
            [
                _("Party secretaries"),
                _("under 35"),
                _("under 40"),
                _("Committee directors"),
                _("under 35"),
                _("under 40"),
                _("一肩挑 places"),
                _("一肩挑 rate"),
                _("Members of the two committees"),
                _("交叉任职"),
                _("交叉任职 rate"),
            ],
            heads,
        ),
        (
            "statistics-term",
            _("Re-elected and new members, against the previous term"),
            [
                _("Members elected"),
                _("Places with the previous committee on record"),
                _("Re-elected"),
                _("New"),
                _("Re-elected share"),
            ],
            term,
        ),
        (
            "statistics-review",
            _("Candidates disqualified by the joint review, by item of the negative list"),
            [
                _("Disqualified"),
                *(f"第{i.number}项" for i in NEGATIVE_LIST),
                unknown,
            ],
            review,
        ),
        (
            "statistics-complaints",
            _("Complaints by type"),
            [_("Complaints"), *(complaint_title(t) for t in ComplaintType)],
            complaints,
        ),
    ]

    def cells(values) -> str:
        # a row's cells written (and escaped) here, not by the template cell by cell:
        # a county's tables have thousands
        return mark_safe("".join(f"<td>{html.escape(str(v))}</td>" for v in values))

    found = [
        {
            "id": key,
            "title": title,
            "columns": columns,
            "rows": [(row.place, cells(line(row.figures))) for row in report.rows],
            "total": cells(line(report.total)),
        }
        for key, title, columns, line in specs
    ]
    # Complaints registered at a township or county office concern no one place: a
    # line of their own, and in the total.
    offices = rules.Figures(
        complaints=report.office_complaints.total(),
        complaints_by_type=report.office_complaints,
    )
    found[-1]["offices"] = cells(complaints(offices))
    found[-1]["total"] = cells(complaints(report.total + offices))
    return found


def comparison(report) -> dict:
    """The new committees beside the previous term's (§11: comparable with the previous
    term), for the places whose previous committee is on record."""
    places, new, old = report.against_previous()

    def line(f):
        average = f.average_age
        return [
            str(f.elected),
            str(f.sex["F"]),
            percent(f.women_share),
            "—" if average is None else f"{float(average):.1f}",
            percent(f.college_share),
            percent(f.party_share),
        ]

    return {
        "places": places,
        "columns": [
            _("Committee members"),
            _("Women"),
            _("Women share"),
            _("Average age"),
            _("College share (大专及以上)"),
            _("Party share"),
        ],
        "rows": [(_("Previous term"), line(old)), (_("New term"), line(new))],
    }


def page_charts(report) -> list[str]:
    """The charts of the page, as inline SVG: turnout of each line of the report and
    the age pyramid of the members elected."""
    no_data = _("No data yet")
    turnout = _("Turnout by township") if report.level == "township" else _("Turnout by place")
    return [
        mark_safe(charts.svg(chart))  # charts.svg escapes every text
        for chart in (
            summary.turnout_chart(report, turnout, no_data=no_data),
            summary.age_pyramid(
                report,
                _("Members elected by age (age pyramid)"),
                men=_("Men"),
                women=_("Women"),
                no_data=no_data,
            ),
        )
    ]


def _render(request, cycle, within):
    report = statistics.cached(cycle, within)
    found = checks.disagreements(report)
    return render(
        request,
        "reports/statistics.html",
        {
            "cycle": cycle,
            "within": within,
            "report": report,
            "total": report.total,
            "tables": tables(report),
            "comparison": comparison(report),
            "charts": page_charts(report),
            "turnout": percent(report.total.turnout),
            "first_time": percent(report.total.first_time_success_rate),
            "women": percent(report.total.women_share),
            "dual_head": percent(report.total.dual_head_rate),
            "disagreements": [
                (d.place, [localized(f.message_zh, f.message_en) for f in d.findings])
                for d in found
            ],
            "ancestors": [
                p
                for p in within.ancestors()
                if cycle.county.contains(p) and permissions.can(request.user, permissions.VIEW, p)
            ],
        },
    )


@require_GET
def scope_page(request, pk):
    """The statistics of the user's scope."""
    cycle = scoped_cycle(request, pk)
    scope = permissions.scope_of(request.user)
    permissions.require(request.user, permissions.VIEW, scope)
    return _render(request, cycle, within_cycle(cycle, scope))


@require_GET
def place_page(request, pk, code):
    """The statistics of a township or county in scope (one row per place or township
    below it), or of one village or community."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code)
    if place.kind == Kind.GROUP:
        raise Http404
    return _render(request, cycle, within_cycle(cycle, place))


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def summary_response(cycle, within) -> HttpResponse:
    response = HttpResponse(summary.summary_docx(cycle, within), content_type=DOCX)
    name = f"summary-{within.code}-{cycle.term_number}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def summary_docx(request, pk, code):
    """The work summary (工作总结) of a township or county in scope, as a Word
    document."""
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code)
    if place.kind == Kind.GROUP:
        raise Http404
    return summary_response(cycle, within_cycle(cycle, place))


urlpatterns = [
    path("cycles/<int:pk>/statistics/", scope_page, name="reports-statistics"),
    path(
        "cycles/<int:pk>/places/<str:code>/statistics/",
        place_page,
        name="reports-statistics-place",
    ),
    path(
        "cycles/<int:pk>/places/<str:code>/statistics/summary.docx",
        summary_docx,
        name="reports-summary-docx",
    ),
]
