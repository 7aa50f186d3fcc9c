"""The handover and archive pages: what each role sees and may do, in scope."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from huanjie.handover import archives, checklist
from huanjie.handover.models import Archive, Handover


def url(name, cycle, place, *args):
    return reverse(name, args=[cycle.pk, place.code, *args])


def test_the_committee_starts_the_checklist_and_ticks(
    client_for, cycle, village_a1, user_committee_a1
):
    client = client_for(user_committee_a1)
    page = client.get(url("handover-place", cycle, village_a1))
    assert page.status_code == 200 and b"Start the checklist" in page.content
    client.post(url("handover-start", cycle, village_a1))
    handover = Handover.objects.get()
    item = handover.items.get(key="seals")
    response = client.post(
        url("handover-tick", cycle, village_a1, item.pk), {"side": "outgoing", "checked": "1"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outgoing_checked and not item.incoming_checked
    page = client.get(url("handover-place", cycle, village_a1)).content.decode()
    assert "5 items not yet ticked by both sides" in page
    for title in ("印章", "账目/财务", "资产", "档案", "债权债务"):
        assert title in page
    # The committee prepares; it does not record signatures.
    assert 'id="sign"' not in page


def test_an_item_with_a_bad_count_is_refused_by_name(client_for, handover, user_committee_a1):
    client = client_for(user_committee_a1)
    response = client.post(
        url("handover-item-add", handover.cycle, handover.place),
        {"title": "现金", "count": "三"},
        follow=True,
    )
    assert "Count must be a whole number." in response.content.decode()
    assert handover.items.count() == 5


def test_the_township_signing_with_open_items_is_refused(client_for, handover, user_township_a):
    response = client_for(user_township_a).post(
        url("handover-sign", handover.cycle, handover.place),
        {"side": "outgoing", "name": "张三"},
        follow=True,
    )
    assert "not yet ticked by both sides" in response.content.decode()
    handover.refresh_from_db()
    assert not handover.signed_by_any


def test_the_township_records_both_signatures(client_for, ticked, user_township_a):
    client = client_for(user_township_a)
    for side, name in (("outgoing", "张三"), ("incoming", "李四")):
        client.post(url("handover-sign", ticked.cycle, ticked.place), {"side": side, "name": name})
    ticked.refresh_from_db()
    assert ticked.complete and ticked.incoming_recorded_by == user_township_a
    page = client.get(url("handover-place", ticked.cycle, ticked.place)).content.decode()
    assert "Signed by both sides." in page and "李四" in page
    pdf = client.get(url("handover-pdf", ticked.cycle, ticked.place))
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "张三" in text and "李四" in text


def test_an_observer_reads_and_changes_nothing(client_for, handover, user_observer):
    client = client_for(user_observer)
    page = client.get(url("handover-place", handover.cycle, handover.place))
    assert page.status_code == 200 and b"Add an item" not in page.content
    item = handover.items.first()
    for name, args, data in (
        ("handover-tick", [item.pk], {"side": "outgoing", "checked": "1"}),
        ("handover-item-add", [], {"title": "x"}),
        ("handover-sign", [], {"side": "outgoing", "name": "x"}),
        ("archive-make", [], {}),
    ):
        response = client.post(url(name, handover.cycle, handover.place, *args), data)
        assert response.status_code == 403, name
    assert client.get(url("handover-pdf", handover.cycle, handover.place)).status_code == 200


@pytest.mark.parametrize("name", ["handover-place", "handover-pdf", "archive-place"])
def test_another_township_gets_404(client_for, handover, user_township_b, name):
    response = client_for(user_township_b).get(url(name, handover.cycle, handover.place))
    assert response.status_code == 404


def test_another_township_cannot_tick_or_sign(client_for, handover, user_township_b):
    client = client_for(user_township_b)
    item = handover.items.first()
    assert (
        client.post(
            url("handover-tick", handover.cycle, handover.place, item.pk),
            {"side": "outgoing", "checked": "1"},
        ).status_code
        == 404
    )
    assert (
        client.post(
            url("handover-sign", handover.cycle, handover.place), {"side": "outgoing", "name": "x"}
        ).status_code
        == 404
    )


def test_archive_made_listed_downloaded_and_checked(
    client_for, stored, ticked, cycle, village_a1, user_township_a
):
    client = client_for(user_township_a)
    client.post(url("archive-make", cycle, village_a1))
    archive = Archive.objects.get()
    page = client.get(url("archive-place", cycle, village_a1)).content.decode()
    assert archive.sha256 in page
    download = client.get(url("archive-download", cycle, village_a1, archive.pk))
    data = b"".join(download.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        manifest = json.loads(z.read("manifest.json"))
        files = {n: z.read(n) for n in z.namelist()}
    assert manifest["place"]["code"] == village_a1.code

    upload = io.BytesIO(data)
    upload.name = "archive.zip"
    page = client.post(url("archive-verify", cycle, village_a1), {"file": upload}).content.decode()
    assert "The archive is intact" in page and "the very file of the archive" in page

    files["exports/candidates.csv"] = b"changed"
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as z:
        for name, content in files.items():
            z.writestr(name, content)
    tampered.seek(0)
    tampered.name = "archive.zip"
    page = client.post(
        url("archive-verify", cycle, village_a1), {"file": tampered}
    ).content.decode()
    assert "The archive is not intact: 1 problem." in page
    assert "Changed: exports/candidates.csv" in page


def test_the_committee_cannot_make_an_archive_but_checks_one(
    client_for, cycle, village_a1, user_committee_a1, user_township_a, media
):
    made = archives.make(user_township_a, cycle, village_a1)
    client = client_for(user_committee_a1)
    page = client.get(url("archive-place", cycle, village_a1)).content.decode()
    assert 'id="make-archive"' not in page
    assert client.post(url("archive-make", cycle, village_a1)).status_code == 403
    with made.file.open("rb") as f:
        upload = io.BytesIO(f.read())
    upload.name = "a.zip"
    page = client.post(url("archive-verify", cycle, village_a1), {"file": upload})
    assert b"The archive is intact" in page.content


def test_a_township_is_not_a_place_that_hands_over(client_for, cycle, township_a, user_township_a):
    assert (
        client_for(user_township_a).get(url("handover-place", cycle, township_a)).status_code == 404
    )


def test_the_form_of_a_place_without_a_checklist_is_404(
    client_for, cycle, village_a1, user_township_a
):
    response = client_for(user_township_a).get(url("handover-pdf", cycle, village_a1))
    assert response.status_code == 404
    assert checklist.handover_of(cycle, village_a1) is None
