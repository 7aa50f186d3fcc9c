"""The import of residents files: the upload form of a place, the outcome of each
import, and the spreadsheets to take away.

A rejected file's page lists every problem (row, column, what is wrong) and offers
them as an XLSX error report; an applied file's page shows the 四增四减 of its roll
since the last one. Everything is decided in ``huanjie.voters.importer`` and
``huanjie.voters.rolls``; these views check role and scope, call it, and show the
outcome. ID numbers are masked on the pages (rules.identity.mask_id).
"""

from __future__ import annotations

import io
from collections import defaultdict

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huanjie.accounts import permissions
from huanjie.cycles.services import RuleViolation
from huanjie.cycles.timeline import localized
from huanjie.cycles.views import scoped_cycle, scoped_place
from huanjie.places.models import Place
from huanjie.rules.changes import ADDED, TITLE_ZH, Change
from huanjie.rules.identity import mask_id
from huanjie.voters import importer
from huanjie.voters.models import ResidentImport, RollChange

#: English wording of the 四增四减 (TITLE_ZH is the Chinese).
CHANGE_EN = {
    Change.TURNED_18: gettext_lazy("Turned 18"),
    Change.MOVED_IN: gettext_lazy("Moved in"),
    Change.MARRIED_IN: gettext_lazy("Married or adopted in"),
    Change.RIGHTS_RESTORED: gettext_lazy("Political rights restored"),
    Change.MOVED_OUT: gettext_lazy("Moved out (army included)"),
    Change.MARRIED_OUT: gettext_lazy("Married out"),
    Change.DIED: gettext_lazy("Died"),
    Change.DEPRIVED: gettext_lazy("Deprived of political rights"),
    Change.LEFT_RECORDS: gettext_lazy(
        "No longer in the household records (died or moved out, to be checked)"
    ),
    Change.OTHER_ADDED: gettext_lazy("Other additions"),
    Change.OTHER_REMOVED: gettext_lazy("Other removals"),
}

#: The four additions and four removals (四增四减), shown even when none happened.
FOUR = frozenset(
    kind.value
    for kind in Change
    if kind not in (Change.LEFT_RECORDS, Change.OTHER_ADDED, Change.OTHER_REMOVED)
)

#: Names shown per kind of change on the page; the XLSX has them all.
NAMES_SHOWN = 500
#: Problems shown on the page; the XLSX has them all.
PROBLEMS_SHOWN = 2000
#: Past imports listed on the upload page.
HISTORY_SHOWN = 30


def change_title(change: str) -> str:
    kind = Change(change)
    return localized(TITLE_ZH[kind], str(CHANGE_EN[kind]))


def _target(request, pk, code, capability=permissions.VIEW):
    cycle = scoped_cycle(request, pk)
    place = scoped_place(request, code, capability)
    importer.import_target(cycle, place)
    return cycle, place


def _batch(request, pk, code, batch_pk) -> ResidentImport:
    cycle, place = _target(request, pk, code)
    batch = get_object_or_404(
        ResidentImport.objects.select_related("user", "place"), pk=batch_pk, cycle=cycle
    )
    if batch.place_id != place.id:
        raise Http404
    return batch


def _history(user, cycle, place) -> list[ResidentImport]:
    """Past imports that concern the place: its own, those of the places above it (a
    township's file covers its villages) and below it, as far as the user may see."""
    scope = permissions.scope_of(user)
    above = [p.code for p in place.ancestors()]
    imports = (
        ResidentImport.objects.filter(cycle=cycle)
        .filter(Q(place__code__in=above) | Q(place__code__startswith=place.prefix))
        .select_related("user", "place")
        .defer("errors", "summary")
        .order_by("-at", "-id")
    )
    return [batch for batch in imports[:100] if scope.contains(batch.place)][:HISTORY_SHOWN]


def import_residents(request, pk, code):
    """Upload a residents file (CSV or XLSX) for a place or a township."""
    cycle, place = _target(request, pk, code, permissions.REGISTER_VOTERS)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX file to import."))
        else:
            try:
                batch = importer.import_residents(
                    request.user, cycle, place, upload.name, upload.read()
                )
            except RuleViolation as exc:
                messages.error(request, str(exc))
            else:
                if batch.status == ResidentImport.Status.APPLIED:
                    messages.success(request, _("Residents imported and the roll rebuilt."))
                else:
                    messages.error(request, _("The file has problems; nothing was imported."))
                return redirect("voters-import-detail", cycle.pk, place.code, batch.pk)
    history = _history(request.user, cycle, place)
    return render(
        request,
        "voters/import.html",
        {
            "cycle": cycle,
            "place": place,
            "history": history,
            "required": importer.REQUIRED,
            "optional": importer.OPTIONAL,
        },
    )


def template_csv(request, pk, code):
    """An empty residents file with the right header."""
    _target(request, pk, code, permissions.REGISTER_VOTERS)
    response = HttpResponse(importer.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="residents.csv"'
    return response


def import_detail(request, pk, code, batch_pk):
    """What became of one import: its problems, or its 四增四减."""
    batch = _batch(request, pk, code, batch_pk)
    context = {"cycle": batch.cycle, "place": batch.place, "batch": batch}
    if batch.status == ResidentImport.Status.REJECTED:
        context["problems"] = batch.errors[:PROBLEMS_SHOWN]
        context["problems_total"] = len(batch.errors)
    else:
        added, removed = _changes(batch, NAMES_SHOWN)
        context["sides"] = [
            ("added", localized("增加", _("Added")), added),
            ("removed", localized("减少", _("Removed")), removed),
        ]
        context["four"] = FOUR
    return render(request, "voters/import_detail.html", context)


def _changes(batch: ResidentImport, limit: int | None, *, masked: bool = True, zh=False):
    """The batch's 四增四减 as (added, removed), each a list of (kind, title, count,
    lines) in the order of the rules core; lines are (place name, name, ID number),
    the number masked unless ``masked`` is false. Titles in the user's language, or
    in the official Chinese with ``zh``."""
    counts = defaultdict(int)
    lines = defaultdict(list)
    places = dict(
        Place.objects.filter(
            id__in=RollChange.objects.filter(batch=batch).values("place_id")
        ).values_list("id", "name")
    )
    for place_id, number, name, change in (
        RollChange.objects.filter(batch=batch)
        .order_by("change", "place__code", "name")
        .values_list("place_id", "id_number", "name", "change")
        .iterator()
    ):
        counts[change] += 1
        if limit is None or len(lines[change]) < limit:
            lines[change].append(
                (places.get(place_id, ""), name, mask_id(number) if masked else number)
            )
    added, removed = [], []
    for kind in Change:
        title = TITLE_ZH[kind] if zh else change_title(kind)
        entry = (kind.value, title, counts[kind.value], lines[kind.value])
        (added if kind in ADDED else removed).append(entry)
    return added, removed


def errors_xlsx(request, pk, code, batch_pk):
    """The problems of a rejected file as a spreadsheet: 行号, 字段, 问题."""
    batch = _batch(request, pk, code, batch_pk)
    title = _("Problems of %(file)s, imported %(at)s — nothing was imported") % {
        "file": batch.file_name,
        "at": timezone.localtime(batch.at).strftime("%Y-%m-%d %H:%M"),
    }
    rows = [(row, column, problem) for row, column, problem in batch.errors]
    return _xlsx(
        f"errors-{batch.pk}.xlsx",
        _("Problems"),
        title,
        ("行号", "字段", "问题"),
        rows,
    )


def changes_xlsx(request, pk, code, batch_pk):
    """The 四增四减 of an import as a spreadsheet, in the official Chinese wording like
    its columns. Full ID numbers only for those who keep the roll; masked for everyone
    else."""
    batch = _batch(request, pk, code, batch_pk)
    full = permissions.can(request.user, permissions.REGISTER_VOTERS, batch.place)
    added, removed = _changes(batch, None, masked=not full, zh=True)
    rows = [
        (side, title, place_name, name, number)
        for side, entries in (("增加", added), ("减少", removed))
        for _kind, title, _count, lines in entries
        for place_name, name, number in lines
    ]
    title = _("四增四减 of %(place)s, import of %(file)s on %(at)s") % {
        "place": batch.place.name,
        "file": batch.file_name,
        "at": timezone.localtime(batch.at).strftime("%Y-%m-%d %H:%M"),
    }
    return _xlsx(
        f"changes-{batch.pk}.xlsx",
        "四增四减",
        title,
        ("增减", "变动情况", "村（社区）", "姓名", "公民身份号码"),
        rows,
    )


def _xlsx(filename, sheet_name, title, header, rows) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(sheet_name)[:31])
    sheet.append([title])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


urlpatterns = [
    path(
        "cycles/<int:pk>/places/<str:code>/voters/import/",
        import_residents,
        name="voters-import",
    ),
    path(
        "cycles/<int:pk>/places/<str:code>/voters/import/template.csv",
        template_csv,
        name="voters-import-template",
    ),
    path(
        "cycles/<int:pk>/places/<str:code>/voters/imports/<int:batch_pk>/",
        import_detail,
        name="voters-import-detail",
    ),
    path(
        "cycles/<int:pk>/places/<str:code>/voters/imports/<int:batch_pk>/errors.xlsx",
        errors_xlsx,
        name="voters-import-errors",
    ),
    path(
        "cycles/<int:pk>/places/<str:code>/voters/imports/<int:batch_pk>/changes.xlsx",
        changes_xlsx,
        name="voters-import-changes",
    ),
]
