"""Issue 4: the candidates of a residents' committee, as the committee of the second
community of 星沙街道 (committee2), two review departments and the township do it.

One story, in order, on the shared demo county: the committee posts its voter list,
holds the nomination meeting (refused below quorum), enters the count and sees the
nominees, with the slate error that no woman stands; 纪检监察机关 finds a hit on one
nominee, who is disqualified, and the next of the ranking — a woman — comes in, so the
error goes; 公安局 and, for the other departments, the township clear everyone; the
committee publishes the formal list, whose PDF has the names in 姓氏笔画 order. The
tests depend on one another's state and run in file order.
"""

import re
from datetime import date

import pypdf
from playwright.sync_api import expect

from huanjie.residents_file import COLUMNS
from huanjie.rules.identity import make_id
from huanjie.rules.names import sort_names

COMMUNITY = "430121001002"

#: The community's residents, as its own file gives them: eleven men, then two women.
MEN = ("丁建国", "王志强", "方海涛", "石磊", "孙伟", "李明", "吴刚", "张军", "陈涛", "周鹏", "郑浩")
WOMEN = ("许丽", "黄梅")
PEOPLE = [(name, "M") for name in MEN] + [(name, "F") for name in WOMEN]

#: What the story learns on the way: the cycle, the people nominated.
story: dict = {}


def cycle_of(page) -> int:
    return int(re.search(r"/cycles/(\d+)/", page.url).group(1))


def place_url(server, path=""):
    return f"{server}/cycles/{story['cycle']}/places/{COMMUNITY}/{path}"


def success(page):
    """The change went through: no error shown (its text is in the failure), a success."""
    page.wait_for_load_state("networkidle")
    assert page.locator("#messages .error").all_inner_texts() == []
    expect(page.locator("#messages .success")).to_be_visible()


def pdf_text(download) -> str:
    reader = pypdf.PdfReader(download.path())
    return "".join(p.extract_text() for p in reader.pages).replace("\n", "")


def residents_csv() -> bytes:
    """The community's residents file: everyone 户在人在 here, born in the 1970s–80s."""
    lines = [",".join(COLUMNS.values())]
    for i, (name, sex) in enumerate(PEOPLE):
        id_number = make_id("430121", date(1970 + i, 2, 3 + i), 950 + 2 * i, sex)
        lines.append(",".join([name, id_number, COMMUNITY, COMMUNITY] + [""] * 6))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def election_section(page):
    return page.locator("section.election[data-body=residents_committee]")


def test_committee_posts_the_list_and_holds_the_nomination_meeting(login, server):
    page = login("committee2")
    page.locator("header.top nav a[href$='/candidates/']").click()
    page.wait_for_load_state("networkidle")
    page.locator(f"a[href*='/places/{COMMUNITY}/candidates/']").first.click()
    page.wait_for_load_state("networkidle")
    story["cycle"] = cycle_of(page)

    # The committee brings in its own residents file: the roll is built from it.
    page.goto(place_url(server, "voters/import/"))
    form = page.locator("#import-form")
    form.locator("input[type=file]").set_input_files(
        {"name": "居民名册.csv", "mimeType": "text/csv", "buffer": residents_csv()}
    )
    form.locator("button").first.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#import-summary")).to_be_visible()

    # What the timeline needs first: the audit, the plan, the evaluation of the outgoing
    # members, the election committee.
    page.goto(place_url(server, "timeline/"))
    for key in ("financial_audit", "election_plan", "democratic_evaluation", "election_committee"):
        step = page.locator(f"#step-{key}")
        if "finished" not in (step.get_attribute("class") or ""):
            step.locator("button[name=sign]").click()
            expect(page.locator(f"#step-{key}")).to_have_class(re.compile(r"\bfinished\b"))
    page.goto(place_url(server, "voters/notice/"))
    page.locator("form[action$='/notice/publish/'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    success(page)

    page.goto(place_url(server, "candidates/"))
    election_section(page).locator("a[href$='/nomination/']").click()
    page.wait_for_load_state("networkidle")
    quorum = int(page.locator("p.quorum").get_attribute("data-quorum"))
    form = page.locator("form.open-meeting")
    form.locator("input[name=present]").fill(str(quorum - 1))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#messages .error")).to_contain_text(str(quorum - 1))

    form = page.locator("form.open-meeting")
    form.locator("input[name=present]").fill(str(quorum))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    success(page)

    m = MEN
    counts = {
        "director": [(m[0], 7), (m[1], 6)],
        "deputy": [(m[2], 7), (m[3], 5)],
        # Six places for five seats; the woman is seventh.
        "member": [(m[4 + i], 7 - i) for i in range(6)] + [(WOMEN[0], 1)],
    }
    for office, rows in counts.items():
        form = page.locator(f"form.totals[data-office={office}]")
        form.locator("textarea").fill("\n".join(f"{n} {v}" for n, v in rows))
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        success(page)
    page.locator("form.count button").click()
    page.wait_for_load_state("networkidle")
    success(page)
    members = page.locator("table.ranking[data-office=member] tbody tr")
    expect(members).to_have_count(7)
    expect(members.nth(6)).not_to_contain_text("候选人")

    page.goto(place_url(server, "candidates/"))
    section = election_section(page)
    expect(section.locator("table.candidates tbody tr")).to_have_count(10)
    # No woman stands: an error that blocks the formal list.
    expect(section.locator(".message.error[data-code='slate.no_woman']")).to_be_visible()
    expect(section.locator("form.formal button")).to_be_disabled()


def test_one_department_finds_a_hit_and_the_next_in_the_ranking_comes_in(login, server):
    page = login("reviewer")
    page.locator("header.top nav a[href$='/candidates/']").click()
    page.locator("a[href$='/reviews/']").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_contain_text("纪检监察机关")
    last_member = MEN[9]  # the member nominee with the fewest votes
    row = page.locator(f"table.reviews tr[data-name='{last_member}']")
    row.locator("details summary").click()
    row.locator("input[name=items][value='2']").check()
    row.locator("textarea[name=note]").fill("2019年因寻衅滋事罪被判处有期徒刑一年")
    row.locator("button.hit").click()
    hit = page.locator(f"table.reviews tr[data-name='{last_member}']")
    expect(hit.locator(".badge.red")).to_be_visible()

    # The woman comes in from the ranking and waits for this department too.
    page.reload()
    woman = WOMEN[0]
    expect(page.locator(f"table.reviews tr[data-name='{woman}']")).to_be_visible()
    page.locator("#clear-form input[type=checkbox]").check()
    page.locator("#clear-form button").click()
    page.wait_for_load_state("networkidle")
    success(page)
    expect(page.locator("table.reviews form.verdict")).to_have_count(0)


def test_the_other_departments_clear_everyone(login, server):
    page = login("reviewer2")
    page.goto(f"{server}/reviews/")
    expect(page.locator("h1")).to_contain_text("公安局")
    page.locator("#clear-form input[type=checkbox]").check()
    page.locator("#clear-form button").click()
    page.wait_for_load_state("networkidle")
    success(page)

    page = login("township1")
    page.goto(f"{server}/reviews/")
    options = page.locator("select[name=department] option")
    departments = [o.get_attribute("value") for o in options.all()]
    assert len(departments) == 15
    for department in departments:
        page.goto(f"{server}/reviews/?department={department}")
        if page.locator("table.reviews form.verdict").count():
            page.locator("#clear-form input[type=checkbox]").check()
            page.locator("#clear-form button").click()
            page.wait_for_load_state("networkidle")
            success(page)
        expect(page.locator("table.reviews form.verdict")).to_have_count(0)


def test_the_slate_warnings_update_and_the_formal_list_is_in_stroke_order(login, server):
    page = login("committee2")
    page.goto(place_url(server, "candidates/"))
    section = election_section(page)
    woman = WOMEN[0]
    expect(section.locator("tr[data-source=backfill]")).to_contain_text(woman)
    expect(section.locator("table.left")).to_contain_text(MEN[9])
    expect(section.locator("[data-code='slate.no_woman']")).to_have_count(0)
    expect(section.locator("[data-code='review.awaiting']")).to_have_count(0)

    section.locator("form.formal button").click()
    page.wait_for_load_state("networkidle")
    success(page)
    section = election_section(page)
    with page.expect_download() as info:
        section.locator("ul.notices a").first.click()
    text = pdf_text(info.value)
    assert "正式候选人公告" in text and "按姓氏笔画排列" in text
    for office in (MEN[0:2], MEN[2:4], [*MEN[4:9], woman]):
        positions = [text.index(name) for name in sort_names(office)]
        assert positions == sorted(positions), office
    assert MEN[9] not in text
