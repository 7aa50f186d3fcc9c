"""Issue 3: voter registration, as the committee of 丰江村 and its township do it.

One story, in order, on the shared demo county: the committee imports a residents file
with mistakes and is shown every one of them (and nothing is written), imports the
corrected file and sees what changed on its roll; the township settles where a person
who qualifies in two villages is registered; the committee posts the voter list and
the PDF shows the names with masked ID numbers; a villager left off the list objects,
the committee upholds it and posts the decision. The tests depend on one another's
state and run in file order.
"""

import re
from datetime import date

import pypdf
from playwright.sync_api import expect

from huanjie.rules.identity import make_id, mask_id

VILLAGE = "430121001201"  # 丰江村, the committee's own village, in 星沙街道 (township1)
VILLAGE_NAME = "丰江村"
NEIGHBOUR = "430121001202"  # 柳源村, another village of 星沙街道
NEIGHBOUR_NAME = "柳源村"
ELSEWHERE = "440304000000"  # 福田区, outside the county

COLUMNS = (
    "姓名",
    "公民身份号码",
    "户籍地代码",
    "居住地代码",
    "居住起始日期",
    "剥夺政治权利",
    "无法行使选举权",
    "参选意愿",
    "会议同意",
    "专职工作社区",
)

# New people of the village (sequences 99x: numbers the demo's seed 7 never gives).
LI = ("李秀英", make_id("430121", date(1980, 3, 14), 992, "F"))  # lives in the village
WANG = ("王建国", make_id("430121", date(1985, 7, 2), 991, "M"))  # lives in the village
# Household here, living in 柳源村 since 2020 and applying there: qualifies in both.
ZHAO = ("赵德明", make_id("430121", date(1990, 1, 20), 993, "M"))
# Household here, working in Shenzhen and not reached: left off the list, then objects.
QIAN = ("钱桂兰", make_id("430121", date(1975, 5, 5), 994, "F"))


def residents_row(person, **cells) -> dict:
    name, id_number = person
    return {
        "姓名": name,
        "公民身份号码": id_number,
        "户籍地代码": VILLAGE,
        "居住地代码": VILLAGE,
        **cells,
    }


GOOD_ROWS = [
    residents_row(LI),
    residents_row(WANG, 剥夺政治权利="否", 无法行使选举权="否"),
    residents_row(
        ZHAO, 居住地代码=NEIGHBOUR, 居住起始日期="2020-03-01", 参选意愿="参加", 会议同意="是"
    ),
    residents_row(QIAN, 居住地代码=ELSEWHERE, 参选意愿="联系不上"),
]


def wrong_check_digit(id_number: str) -> str:
    last = "0" if id_number[-1] != "0" else "1"
    return id_number[:-1] + last


# Row 2: a typo in the check digit; row 3: a date written the Chinese way; row 4: 对
# where 是 or 否 is expected. Row 5 is right.
BAD_ROWS = [
    {**GOOD_ROWS[0], "公民身份号码": wrong_check_digit(LI[1])},
    {**GOOD_ROWS[1], "居住起始日期": "2020/01/01"},
    {**GOOD_ROWS[2], "会议同意": "对"},
    GOOD_ROWS[3],
]
BAD_CELLS = [(2, "公民身份号码"), (3, "居住起始日期"), (4, "会议同意")]
GOOD_ROWS_PEOPLE = (LI, WANG, ZHAO, QIAN)


def residents_csv(rows) -> bytes:
    lines = [",".join(COLUMNS)]
    lines += [",".join(row.get(column, "") for column in COLUMNS) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def csv_upload(rows) -> dict:
    return {"name": "丰江村户籍数据.csv", "mimeType": "text/csv", "buffer": residents_csv(rows)}


# -- navigation -----------------------------------------------------------------------


def open_own_roll(page):
    """The Voters menu leads a committee member to their village's roll."""
    page.locator("header.top nav a[href$='/voters/']").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#roll-table")).to_be_visible()
    assert f"/places/{VILLAGE}/voters/" in page.url
    return cycle_of(page)


def cycle_of(page) -> int:
    return int(re.search(r"/cycles/(\d+)/", page.url).group(1))


def roll_url(server, cycle: int, code: str = VILLAGE) -> str:
    return f"{server}/cycles/{cycle}/places/{code}/voters/"


def listed_count(page) -> int:
    """The number on the Roll tab: voters listed."""
    badge = page.locator("nav.tabs a").first.locator(".badge")
    return int(badge.inner_text())


def roll_row(page, name: str):
    return page.locator("#roll-table tbody tr", has_text=name)


def open_import(page):
    """From the village's roll to its import page."""
    link = page.locator("a[href$='/voters/import/']")
    if link.count():
        link.first.click()
    else:  # no link on the roll page (yet): the address the township gives out
        page.goto(page.url.split("/voters/")[0] + "/voters/import/")
    page.wait_for_load_state("networkidle")
    expect(page.locator("#import-form input[type=file]")).to_be_attached()


def upload(page, rows):
    form = page.locator("#import-form")
    form.locator("input[type=file]").set_input_files(csv_upload(rows))
    form.locator("button").first.click()
    page.wait_for_load_state("networkidle")


def figures(page) -> list[int]:
    """The figures of an applied import: rows, new, changed, unchanged, no longer in
    the records, voters, not registered, conflicts."""
    return [int(n) for n in page.locator("#import-summary b").all_inner_texts()]


def change_count(page, kind: str) -> int:
    return int(page.locator(f"#change-{kind} summary .badge").inner_text())


def pdf_text(download) -> str:
    """The text of a downloaded PDF, as pypdf extracts it (the fonts map to Unicode)."""
    reader = pypdf.PdfReader(download.path())
    return "\n".join(p.extract_text() for p in reader.pages)


def success(page):
    expect(page.locator("#messages .success")).to_be_visible()


# -- the story ------------------------------------------------------------------------


def test_committee_sees_every_error_of_a_bad_file_and_nothing_is_imported(login):
    page = login("committee")
    open_own_roll(page)
    before = listed_count(page)
    assert before > 0, "the demo built the village's roll"

    open_import(page)
    upload(page, BAD_ROWS)

    expect(page.locator("#messages .error")).to_be_visible()
    expect(page.locator("h1")).to_contain_text("丰江村户籍数据.csv")
    expect(page.locator("#import-problems")).to_contain_text(str(len(BAD_CELLS)))
    problems = page.locator("#problems tbody tr")
    expect(problems).to_have_count(len(BAD_CELLS))
    for (row, column), line in zip(BAD_CELLS, problems.all(), strict=True):
        cells = line.locator("td")
        expect(cells.nth(0)).to_have_text(str(row))
        expect(cells.nth(1)).to_have_text(column)
        expect(cells.nth(2)).not_to_be_empty()
    with page.expect_download() as info:
        page.locator("#import-problems a[href$='errors.xlsx']").click()
    assert info.value.suggested_filename.endswith(".xlsx")

    open_own_roll(page)
    assert listed_count(page) == before, "a file with errors writes nothing"
    for name, _id_number in GOOD_ROWS_PEOPLE:
        expect(roll_row(page, name)).to_have_count(0)


def test_committee_imports_the_corrected_file_and_sees_the_changes(login):
    page = login("committee")
    open_own_roll(page)
    before = listed_count(page)
    open_import(page)
    rejected = page.locator("#import-history tbody tr", has_text="丰江村户籍数据.csv")
    expect(rejected.first.locator(".badge.red")).to_be_visible()  # the bad file, on record

    upload(page, GOOD_ROWS)
    expect(page.locator("#messages .success")).to_be_visible()
    expect(page.locator("#problems")).to_have_count(0)
    rows, new, _changed, _unchanged, _left, voters, excluded, conflicts = figures(page)
    assert (rows, new, voters, excluded) == (4, 4, 2, 2)
    assert conflicts >= 1  # 赵德明 qualifies in 丰江村 and in 柳源村

    # 四增: the two who live here moved in; 四减: the demo's voters of the village are
    # not in the village's new file.
    assert change_count(page, "moved_in") == 2
    moved_in = page.locator("#change-moved_in")
    for name, id_number in (LI, WANG):
        line = moved_in.locator("tr", has_text=name)
        expect(line).to_contain_text(mask_id(id_number))
        expect(line).not_to_contain_text(id_number)
    assert change_count(page, "left_records") == before
    for kind in ("turned_18", "married_in", "rights_restored", "moved_out", "died"):
        assert change_count(page, kind) == 0

    page.locator(f"main a[href$='/places/{VILLAGE}/voters/']").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#roll-table")).to_be_visible()
    assert listed_count(page) == 2
    for name, id_number in (LI, WANG):
        row = roll_row(page, name)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(mask_id(id_number))
        expect(row).to_contain_text("户在人在")
        expect(row).not_to_contain_text(id_number)
    expect(roll_row(page, ZHAO[0])).to_have_count(0)  # the rules put him in 柳源村
    expect(roll_row(page, QIAN[0])).to_have_count(0)

    page.locator("nav.tabs a[href$='/excluded/']").click()
    page.wait_for_load_state("networkidle")
    excluded = page.locator("#excluded-table tbody")
    expect(excluded.locator("tr", has_text=QIAN[0])).to_contain_text("absent_unreachable")
    expect(excluded.locator("tr", has_text=ZHAO[0])).to_contain_text("registered_elsewhere")


def test_township_registers_the_person_who_qualifies_in_two_villages(login, server):
    page = login("township1")
    page.locator("header.top nav a[href$='/voters/']").click()
    page.wait_for_load_state("networkidle")
    cycle = cycle_of(page)
    page.locator(f"#rolls-table tr[data-code='{VILLAGE}'] a").first.click()
    page.wait_for_load_state("networkidle")
    page.locator("nav.tabs a[href*='/voters/conflicts/']").click()
    page.wait_for_load_state("networkidle")

    row = page.locator("#conflicts-table tbody tr", has_text=ZHAO[0])
    expect(row).to_have_count(1)
    expect(row).to_contain_text(mask_id(ZHAO[1]))
    expect(row).not_to_contain_text(ZHAO[1])
    expect(row).to_contain_text(VILLAGE_NAME)
    expect(row).to_contain_text(NEIGHBOUR_NAME)
    expect(row).to_contain_text("人在户不在")
    expect(row).to_contain_text("户在人不在")

    # He asked to vote where his household is: not the rules' choice, so a note.
    row.locator("select[name=code]").select_option(VILLAGE)
    row.locator("input[name=note]").fill("本人申请在户籍地丰江村登记")
    row.locator("button").click()
    page.wait_for_load_state("networkidle")
    success(page)
    expect(page.locator("#messages .success")).to_contain_text(ZHAO[0])

    page.goto(f"{server}/cycles/{cycle}/voters/conflicts/?place={VILLAGE}&status=resolved")
    row = page.locator("#conflicts-table tbody tr", has_text=ZHAO[0])
    expect(row).to_contain_text("township1")
    expect(row).to_contain_text("本人申请在户籍地丰江村登记")
    chosen = row.locator("ul.options li", has_text=VILLAGE_NAME)
    expect(chosen.locator(".badge.green")).to_be_visible()

    row.locator("a").first.click()
    page.wait_for_load_state("networkidle")
    history = page.locator("table.history tbody tr").first
    expect(history).to_contain_text("voters.conflict_resolved")
    expect(history).to_contain_text("township1")
    expect(history).to_contain_text(NEIGHBOUR)  # before: registered in 柳源村
    expect(history).to_contain_text(VILLAGE)

    page.goto(roll_url(server, cycle))
    expect(roll_row(page, ZHAO[0])).to_contain_text("户在人不在")


def test_county_settles_the_conflicts_across_townships(login, server):
    """The list cannot be posted while a conflict about the village is open; those
    reaching into another township are the county's to decide (DOMAIN §4)."""
    township = login("township1")
    township.locator("header.top nav a[href$='/voters/']").click()
    township.wait_for_load_state("networkidle")
    cycle = cycle_of(township)
    conflicts = f"{server}/cycles/{cycle}/voters/conflicts/?place={VILLAGE}&status=open"
    township.goto(conflicts)
    left = township.locator("#conflicts-table tbody tr[data-conflict]")
    for row in left.all():
        expect(row.locator("form.resolve")).to_have_count(0)  # not township1's to decide

    page = login("county")
    page.goto(conflicts)
    rows = page.locator("#conflicts-table tbody tr[data-conflict]")
    while rows.count():
        rows.first.locator("button").click()  # the rules' choice, preselected
        page.wait_for_load_state("networkidle")
        success(page)
        page.goto(conflicts)
    expect(rows).to_have_count(0)


def test_committee_posts_the_list_and_the_pdf_masks_the_id_numbers(login, server):
    page = login("committee")
    cycle = open_own_roll(page)
    listed = listed_count(page)

    # The election committee must have been elected before the list is posted.
    page.goto(f"{server}/cycles/{cycle}/places/{VILLAGE}/timeline/")
    step = page.locator("#step-election_committee")
    if "finished" not in (step.get_attribute("class") or ""):
        step.locator("button[name=sign]").click()
        expect(step).to_have_class(re.compile(r"\bfinished\b"))
    page.locator("#step-voter_list_published a.work").click()
    page.wait_for_load_state("networkidle")

    form = page.locator("form[action$='/notice/publish/']")
    today = date.fromisoformat(form.locator("input[name=published_on]").input_value())
    latest = date.fromisoformat(page.locator("section.card b").first.inner_text())
    assert latest >= today, "the demo's D leaves time to post the list today"
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    success(page)
    expect(page.locator("section.card .badge.green")).to_be_visible()
    expect(page.locator("section.card")).to_contain_text(str(listed))

    with page.expect_download() as info:
        page.locator("section.card a[href*='/voters/notices/']").click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    text = pdf_text(download)
    assert "丰江村选民名单公告" in text
    for name, id_number in (LI, WANG, ZHAO):
        assert name in text
        assert mask_id(id_number) in text
        assert id_number not in text
    assert re.search(r"430\*{11}\d{3}[\dX]", text)
    assert QIAN[0] not in text

    page.goto(f"{server}/cycles/{cycle}/places/{VILLAGE}/timeline/")
    expect(page.locator("#step-voter_list_published")).to_have_class(re.compile(r"\bfinished\b"))
    page.goto(roll_url(server, cycle))
    expect(page.locator("form[action$='/rebuild/']")).to_have_count(0)


def test_committee_records_and_upholds_an_objection_and_posts_the_decision(login, server):
    page = login("committee")
    cycle = open_own_roll(page)
    before = listed_count(page)
    page.goto(f"{server}/cycles/{cycle}/places/{VILLAGE}/voters/notice/")
    page.locator("a[href$='/objections/']").first.click()
    page.wait_for_load_state("networkidle")

    page.locator("a[href$='/objections/new/']").click()
    page.wait_for_load_state("networkidle")
    page.locator("select[name=kind]").select_option("omitted")
    page.locator("input[name=subject_name]").fill(QIAN[0])
    page.locator("input[name=subject_id_number]").fill(QIAN[1])
    page.locator("input[name=objector]").fill(QIAN[0])
    page.locator("input[name=objector_contact]").fill("13800000000")
    page.locator("textarea[name=reason]").fill("本人已从深圳返乡，户籍在本村，要求参加选举。")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    success(page)

    row = page.locator("table.grid:not(.history) tbody tr", has_text=QIAN[0])
    expect(row).to_have_count(1)
    expect(row).to_contain_text(mask_id(QIAN[1]))
    expect(row).not_to_contain_text(QIAN[1])
    expect(row.locator(".badge.amber")).to_be_visible()  # pending, with days left

    row.locator("a[href$='/decide/']").click()
    page.wait_for_load_state("networkidle")
    page.locator("input[name=upheld][value='1']").check()
    group = page.locator("select[name=group] option").nth(1).inner_text()
    page.locator("select[name=group]").select_option(index=1)
    page.locator("textarea[name=decision]").fill("经核实，户籍在本村，本人申请参加选举，予以登记。")
    page.locator("form.card button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    success(page)
    row = page.locator("table.grid:not(.history) tbody tr", has_text=QIAN[0])
    expect(row.locator(".badge.green")).to_be_visible()  # upheld
    expect(row).to_contain_text("予以登记")

    page.goto(roll_url(server, cycle))
    assert listed_count(page) == before + 1
    line = roll_row(page, QIAN[0])
    expect(line).to_have_attribute("data-number", str(before + 1))  # the next number
    expect(line).to_contain_text("户在人不在")
    expect(line).to_contain_text(group)
    expect(line).to_contain_text(mask_id(QIAN[1]))

    page.goto(f"{server}/cycles/{cycle}/places/{VILLAGE}/voters/objections/")
    page.locator("form[action$='/objections/publish/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    success(page)
    row = page.locator("table.grid:not(.history) tbody tr", has_text=QIAN[0])
    with page.expect_download() as info:
        row.locator("a[href*='/voters/notices/']").click()
    text = pdf_text(info.value)
    assert "申诉处理结果公告" in text
    assert QIAN[0] in text
    assert mask_id(QIAN[1]) in text
    assert QIAN[1] not in text
    assert "申诉成立，予以登记" in text
