"""The county's oversight of the cycle (DOMAIN §9–11), as the county admin does it.

One story, in order, on the shared demo county. The county admin opens the dashboard,
goes to the places that are late and why, and drills into the township with the most
late places: its weekly report lists the late places first, each with its overdue
steps, and the late place's own report starts with them. The admin downloads the
civil-affairs form (民主选举情况统计表, XLSX) and the work summary (工作总结, DOCX) from
the pages; the tests open both and check them against each other and against the
statistics page: a line per village or community, each township's subtotal the sum of
its places, the total the sum of the subtotals, and the figures the page shows.

A complaint received twenty days ago is registered at the late place, and an incident
there is reported at 一般. ``huanjie complaints escalate``, as cron runs it, refers the
complaint, past its 15-day deadline, to the county office (once: a second run changes
nothing); the same escalation run as if three days later (``escalate_overdue`` with
that clock, which the command cannot set) raises the incident, left 72 hours at 一般,
to 较重, and the dashboard's attention panel shows both. The statistics page and the
work summary count the complaint. Last, an archive of the place is made, downloaded
and checked, on the page and with ``huanjie archive verify``; a copy with one file
changed is refused by both, naming that file.

The tests depend on one another's state and run in file order. Figures are read off
the pages, never assumed (the demo is generated and other stories change it).
"""

import json
import re
import subprocess
import sys
import zipfile
from datetime import date, timedelta
from urllib.parse import urlparse

import docx
import openpyxl
from browser_shared import navigate, success
from playwright.sync_api import expect

from huanjie.rules import complaints as rules

#: What the story learns on the way.
story: dict = {}


# Helpers


def figure(page, label: str) -> int:
    """The number of a dashboard or report figure, by its label."""
    box = page.locator(".figures div").filter(has=page.get_by_text(label, exact=True))
    return int(box.locator("b").inner_text())


def cells(row) -> list[str]:
    return [c.strip() for c in row.locator("td").all_inner_texts()]


def escalate_now(server_env, cycle: str) -> tuple[int, int]:
    """``huanjie complaints escalate`` on the server's database, as cron runs it: how
    many incidents rose and how many complaints were referred."""
    done = subprocess.run(
        [sys.executable, "-m", "huanjie", "complaints", "escalate", "--cycle", cycle],
        env=server_env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    found = re.fullmatch(
        r"(\d+) incident level rise\(s\), (\d+) complaint\(s\) referred to the county office",
        done.stdout.strip(),
    )
    assert found, done.stdout
    return int(found[1]), int(found[2])


def escalate_later(server_env, hours: int) -> dict:
    """The same escalation as if run ``hours`` from now (the command has no clock of
    its own to set): ``escalate_overdue(now=...)`` on the server's database."""
    code = (
        "import json, os\n"
        "from datetime import timedelta\n"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'huanjie.settings')\n"
        "import django\n"
        "django.setup()\n"
        "from django.utils import timezone\n"
        "from huanjie.complaints.attention import escalate_overdue\n"
        f"print(json.dumps(escalate_overdue(timezone.now() + timedelta(hours={hours}))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=server_env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def archive_verify(server_env, path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "huanjie", "archive", "verify", str(path)],
        env=server_env,
        capture_output=True,
        text=True,
    )


def statistics_rows(page, table: str) -> dict[str, dict[str, str]]:
    """A table of the statistics page: each line's name → {column heading: value},
    the total as 合计."""
    heads = page.locator(f"#{table} thead th").all_inner_texts()[1:]
    rows = {}
    for row in page.locator(f"#{table} tbody tr[data-place]").all():
        rows[row.locator("th").inner_text().strip()] = dict(zip(heads, cells(row), strict=True))
    total = page.locator(f"#{table} tfoot tr[data-place=total]")
    rows["合计"] = dict(zip(heads, cells(total), strict=True))
    return rows


def read_form(path) -> dict:
    """The civil-affairs form: its title and unit lines, its columns of counts and of
    rates (formatted as percentages), and its lines as (township, place, {column:
    value})."""
    sheet = openpyxl.load_workbook(path).active
    grid = [list(r) for r in sheet.iter_rows()]
    top = next(i for i, r in enumerate(grid) if r[0].value == "乡镇（街道）")
    groups, heads = grid[top], grid[top + 1]
    # A heading merged over both rows is written in the upper one.
    names = [h.value or g.value for g, h in zip(groups, heads, strict=True)][2:]
    body = [r for r in grid[top + 2 :] if r[0].value is not None]
    rates = {n for n, c in zip(names, body[-1][2:], strict=True) if "%" in c.number_format}
    lines = [
        (r[0].value, r[1].value, {n: c.value for n, c in zip(names, r[2:], strict=True)})
        for r in body
    ]
    return {
        "title": grid[0][0].value,
        "unit": grid[1][0].value,
        "counts": [n for n in names if n not in rates],
        "rates": rates,
        "lines": lines,
    }


def add_up(lines, column: str) -> int:
    return sum(values[column] for _t, _p, values in lines)


# The dashboard and the late places


def test_the_county_drills_into_the_most_late_township(login, server):
    page = login("county")
    expect(page.locator("main h1")).to_contain_text("工作台")
    late = figure(page, "有逾期步骤的村（社区）")
    overdue = figure(page, "逾期步骤")
    assert late > 0, "the demo has townships behind"
    # A line per township: its late places add up to the county's.
    progress = page.locator("#progress-table tbody tr")
    assert sum(int(cells(r)[3]) for r in progress.all()) == late
    expect(page.locator("#progress-table tbody tr.has-overdue").first).to_be_visible()

    navigate(page, page.get_by_role("link", name="进度滞后的村（社区）及原因"))
    assert figure(page, "有逾期步骤的村（社区）") == late
    assert figure(page, "逾期步骤") == overdue
    townships = page.locator("#late-townships tbody tr")
    lines = [(r, cells(r)) for r in townships.all()]
    row, line = max(lines, key=lambda rl: int(rl[1][2]))
    story["township"] = line[0]
    story["township_late"] = int(line[2])
    story["township_overdue"] = int(line[3])
    assert story["township_late"] > 1, line

    navigate(page, row.get_by_role("link", name="本周"))
    expect(page.locator("main h1")).to_contain_text(f"{story['township']} · 每周一报告")
    assert figure(page, "逾期步骤") == story["township_overdue"]
    places = page.locator("#weekly-places tbody tr")
    flags = [("has-overdue" in (r.get_attribute("class") or "")) for r in places.all()]
    # The late places first, the furthest behind first, then the others.
    assert flags == sorted(flags, reverse=True), flags
    assert sum(flags) == story["township_late"]
    late_rows = page.locator("#weekly-places tbody tr.has-overdue")
    days_late = [int(cells(r)[5]) for r in late_rows.all()]
    assert days_late == sorted(days_late, reverse=True), days_late
    steps = [int(r.locator(".badge.red").inner_text()) for r in late_rows.all()]
    assert sum(steps) == story["township_overdue"]
    # Then each late place's overdue steps, in the same order.
    expect(page.locator("h2#overdue")).to_have_text("逾期村（社区）的逾期步骤")
    first = late_rows.first
    story["place"] = first.locator("td").first.inner_text().strip()
    story["code"] = first.get_attribute("data-place")
    expect(page.locator("h2#overdue ~ h3").first).to_contain_text(story["place"])

    navigate(page, first.get_by_role("link", name=story["place"]))
    expect(page.locator("main h1")).to_contain_text(f"{story['place']} · 每周一报告")
    headings = page.locator("main h2").all_inner_texts()
    assert headings[0] == "逾期步骤", headings
    overdue_rows = page.locator("h2#overdue + table tbody tr.overdue")
    expect(overdue_rows).to_have_count(steps[0])
    assert figure(page, "逾期步骤") == steps[0]
    story["weekly_place"] = page.url


# The civil-affairs form and the work summary


#: Headings of the statistics page's tables.
REGISTERED, VOTED, PLACES, SEATS, ELECTED = (
    "登记选民",
    "参加投票人数（第一次投票）",
    "地区",
    "应选名额",
    "当选人数",
)


def test_the_civil_affairs_form_adds_up_to_the_statistics(login, server, tmp_path):
    page = login("county")
    story["county"] = page.locator("main h1").inner_text().split(" · ")[0]
    navigate(page, page.locator("p.oversight").get_by_role("link", name="统计", exact=True))
    expect(page.locator("main h1")).to_have_text(f"{story['county']} · 统计")
    registered = int(page.locator("[data-figure=registered] b").inner_text())
    turnout = page.locator("[data-figure=turnout] b").inner_text()
    voting = statistics_rows(page, "statistics-voting")
    votes = statistics_rows(page, "statistics-votes")
    assert int(voting["合计"][REGISTERED]) == registered
    story["statistics"] = {
        "registered": registered,
        "turnout": turnout,
        "places": int(votes["合计"][PLACES]),
        "voted": int(voting["合计"][VOTED]),
        "townships": {n: int(v[REGISTERED]) for n, v in voting.items() if n != "合计"},
    }
    story["complaints"] = statistics_rows(page, "statistics-complaints")
    # The late township's own page: a line per village or community.
    navigate(page, page.locator("#statistics-voting").get_by_role("link", name=story["township"]))
    township = statistics_rows(page, "statistics-voting")
    township_votes = statistics_rows(page, "statistics-votes")

    page.goto(server)
    with page.expect_download() as info:
        page.locator("p.oversight").get_by_role("link", name="民主选举情况统计表").click()
    download = info.value
    assert download.suggested_filename == f"民主选举情况统计-{story['county']}.xlsx"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    form = read_form(path)

    assert form["title"].startswith(story["county"]), form["title"]
    assert form["title"].endswith("民主选举情况统计表"), form["title"]
    assert f"填报单位：{story['county']}" in form["unit"]
    counts = form["counts"]
    for column in ("村（社区）数", "登记选民数", "参选人数", "应选名额", "当选人数"):
        assert column in counts, counts
    assert "参选率" in form["rates"], form["rates"]

    # A line per place, each township's places followed by its subtotal, the total last.
    *body, total = form["lines"]
    assert total[:2] == (story["county"], "合计")
    subtotals = [line for line in body if line[1] == "小计"]
    places = [line for line in body if line[1] != "小计"]
    assert len(places) == story["statistics"]["places"]
    assert all(values["村（社区）数"] == 1 for _t, _p, values in places)
    assert [t for t, _p, _v in subtotals] == list(story["statistics"]["townships"])
    start = 0
    for end, (name, _label, subtotal) in [
        (i, line) for i, line in enumerate(body) if line[1] == "小计"
    ]:
        own = body[start:end]
        assert own and all(t == name for t, _p, _v in own), (name, own)
        for column in counts:
            assert subtotal[column] == add_up(own, column), (name, column)
        start = end + 1
    assert start == len(body)
    for column in counts:
        assert total[2][column] == add_up(subtotals, column), column
        assert total[2][column] == add_up(places, column), column

    # The figures the statistics page shows.
    figures = total[2]
    assert figures["登记选民数"] == registered
    assert figures["村（社区）数"] == story["statistics"]["places"]
    assert figures["参选人数"] == story["statistics"]["voted"]
    assert figures["应选名额"] == int(votes["合计"][SEATS])
    assert figures["当选人数"] == int(votes["合计"][ELECTED])
    rate = figures["参选率"]
    assert ("—" if rate is None else f"{rate * 100:.1f}%") == turnout
    for name, _label, values in subtotals:
        assert values["登记选民数"] == story["statistics"]["townships"][name], name
        assert values["应选名额"] == int(votes[name][SEATS]), name
    # And the township's page, place by place.
    own = {p: v for t, p, v in places if t == story["township"]}
    assert set(own) == set(township) - {"合计"}
    for name, values in own.items():
        assert values["登记选民数"] == int(township[name][REGISTERED]), name
        assert values["应选名额"] == int(township_votes[name][SEATS]), name


def test_the_work_summary_matches_the_statistics(login, server, tmp_path):
    page = login("county")
    navigate(page, page.locator("p.oversight").get_by_role("link", name="统计", exact=True))
    cycle = page.locator("main p.sub").first.inner_text().split(" · ")[0]
    with page.expect_download() as info:
        page.locator("#statistics-summary").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    document = docx.Document(path)

    county, figures = story["county"], story["statistics"]
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    title = paragraphs[0]
    assert title.style.name == "Title"
    assert title.text.startswith(county) and title.text.endswith("换届选举工作总结"), title.text
    assert paragraphs[1].text == cycle
    headings = [p.text for p in paragraphs if p.style.name == "Heading 1"]
    assert headings == ["一、基本情况", "二、统计表", "三、统计图"]
    text = "".join(p.text for p in paragraphs)
    assert f"{county}共有村（社区）{figures['places']}个，登记选民{figures['registered']}人" in text
    assert f"首次选举参加投票{figures['voted']}人，选民参选率{figures['turnout']}" in text

    assert len(document.tables) == 4
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    turnout = tables[0]
    assert turnout[0][:3] == ["乡镇", "村（社区）数", "登记选民"]
    assert [r[0] for r in turnout[1:]] == [*figures["townships"], "合计"]
    for row in turnout[1:-1]:
        assert int(row[2]) == figures["townships"][row[0]], row
    assert turnout[-1][1:4] == [
        str(figures["places"]),
        str(figures["registered"]),
        str(figures["voted"]),
    ]
    assert turnout[-1][4] == figures["turnout"]
    for table in tables:
        assert table[-1][0] == "合计"
        assert len(table) == len(figures["townships"]) + 2
    # The charts, as pictures: turnout, age pyramid, women, education, progress.
    assert len(document.inline_shapes) == 5


# A complaint and an incident


def test_a_complaint_and_an_incident_escalate_to_the_county(login, server, server_env):
    page = login("county")
    navigate(page, page.locator("p.oversight").get_by_role("link", name="信访举报"))
    navigate(page, page.get_by_role("link", name="登记信访举报"))
    form = page.locator("form.complaint-new")
    received = form.locator("input[name=received_on]")
    today = date.fromisoformat(received.get_attribute("max"))
    form.locator("select[name=place]").select_option(story["code"])
    form.locator("select[name=type]").select_option(label=rules.ComplaintType.LOBBYING.title_zh)
    received.fill((today - timedelta(days=20)).isoformat())
    form.locator("select[name=channel]").select_option(label=rules.Channel.LETTER.title_zh)
    form.locator("input[name=complainant]").fill("王某")
    summary = f"反映{story['place']}有人请吃饭为候选人拉票。"
    form.locator("textarea[name=summary]").fill(summary)
    navigate(page, form.get_by_role("button", name="登记"))
    success(page)
    deadline = today - timedelta(days=20 - rules.ANSWER_DAYS)
    expect(page.locator("#messages .success")).to_contain_text(deadline.isoformat())
    expect(page.locator("main h1")).to_contain_text(story["place"])
    state = page.locator("#complaint-state")
    expect(state.locator(".badge.red")).to_contain_text("逾期5天")
    expect(state).not_to_contain_text("县（区）换届办")
    expect(page.locator("table.steps tbody tr.step-escalated")).to_have_count(0)
    story["complaint"] = page.url

    navigate(page, page.locator(".crumbs").get_by_role("link", name="工作台"))
    navigate(page, page.locator("p.oversight").get_by_role("link", name="事件", exact=True))
    navigate(page, page.get_by_role("link", name="报告事件"))
    form = page.locator("form.incident-new")
    form.locator("select[name=place]").select_option(story["code"])
    form.locator("select[name=level]").select_option(label=rules.Level.GENERAL.title_zh)
    form.locator("input[name=occurred_at]").fill(f"{today - timedelta(days=1)}T20:30")
    form.locator("textarea[name=summary]").fill("村民代表会议上两名候选人支持者发生口角。")
    navigate(page, form.get_by_role("button", name="上报"))
    success(page)
    state = page.locator("#incident-state")
    expect(state.locator(".badge")).to_have_text(rules.Level.GENERAL.title_zh)
    expect(state).to_contain_text(rules.Recipient.TOWNSHIP_OFFICE.title_zh)
    story["incident"] = page.url

    # Before the run: the complaint is overdue; an incident at 一般 is the township's.
    complaint_link = f"a[href='{urlparse(story['complaint']).path}']"
    incident_link = f"a[href='{urlparse(story['incident']).path}']"
    page.goto(server)
    panel = page.locator("#complaints-attention")
    complaint = panel.locator("tr[data-kind=complaint]").filter(has=page.locator(complaint_link))
    expect(complaint).to_have_count(1)
    expect(complaint).to_have_class("attention-overdue")
    expect(complaint).to_contain_text(story["place"])
    expect(complaint).to_contain_text(deadline.isoformat())
    expect(panel.locator(incident_link)).to_have_count(0)

    # The run now refers the complaint to the county office, and leaves the incident.
    cycle = urlparse(story["complaint"]).path.split("/")[2]
    _rose, referred = escalate_now(server_env, cycle)
    assert referred >= 1
    page.goto(story["complaint"])
    county_office = rules.Recipient.COUNTY_OFFICE.title_zh
    expect(page.locator("#complaint-state")).to_contain_text(county_office)
    referral = page.locator("table.steps tbody tr.step-escalated")
    expect(referral).to_have_count(1)
    expect(referral).to_contain_text(f"转报{county_office}")
    expect(referral).to_contain_text(today.isoformat())
    expect(referral).to_contain_text(deadline.isoformat())
    navigate(page, page.get_by_role("link", name="信访举报登记簿"))
    row = page.locator("#complaints tbody tr").filter(has=page.locator(complaint_link))
    expect(row).to_have_class("state-overdue")
    expect(row).to_contain_text(story["place"])
    expect(row).to_contain_text(county_office)
    page.goto(story["incident"])
    expect(page.locator("#incident-state .badge").first).to_have_text(rules.Level.GENERAL.title_zh)
    # Run again, nothing more is due: the complaint is not referred twice.
    assert escalate_now(server_env, cycle)[1] == 0
    page.goto(story["complaint"])
    expect(page.locator("table.steps tbody tr.step-escalated")).to_have_count(1)

    # Three days on, the incident has outlived its 72 hours at 一般 and is 较重.
    assert escalate_later(server_env, hours=73)["incidents"] >= 1
    page.goto(story["incident"])
    serious = rules.Level.SERIOUS
    state = page.locator("#incident-state")
    expect(state.locator(".badge").first).to_have_text(serious.title_zh)
    expect(state).to_contain_text(county_office)
    rise = page.locator("table.steps tbody tr.step-escalated")
    expect(rise).to_have_count(1)
    expect(rise).to_contain_text(f"升级为{serious.title_zh}")
    expect(rise).to_contain_text("72小时")

    page.goto(server)
    panel = page.locator("#complaints-attention")
    incident = panel.locator("tr[data-kind=incident]").filter(has=page.locator(incident_link))
    expect(incident).to_have_count(1)
    expect(incident).to_have_class("attention-serious")
    expect(incident).to_contain_text(story["place"])
    expect(incident).to_contain_text(rules.Level.GENERAL.title_zh)  # escalated from 一般
    # The gravest first: the 较重 incident above the overdue complaint.
    order = [
        link.get_attribute("href") for link in panel.locator("tbody tr td:first-child a").all()
    ]
    paths = [urlparse(story[k]).path for k in ("incident", "complaint")]
    assert order.index(paths[0]) < order.index(paths[1]), order


def test_the_statistics_and_the_summary_count_the_complaint(login, server, tmp_path):
    page = login("county")
    navigate(page, page.locator("p.oversight").get_by_role("link", name="统计", exact=True))
    lobbying = rules.ComplaintType.LOBBYING.title_zh
    before, after = story["complaints"], statistics_rows(page, "statistics-complaints")
    for line in (story["township"], "合计"):
        assert int(after[line]["信访举报"]) == int(before[line]["信访举报"]) + 1, line
        assert int(after[line][lobbying]) == int(before[line][lobbying]) + 1, line
    total, of_type = after["合计"]["信访举报"], after["合计"][lobbying]

    with page.expect_download() as info:
        page.locator("#statistics-summary").click()
    path = tmp_path / "summary.docx"
    info.value.save_as(path)
    text = "".join(p.text for p in docx.Document(path).paragraphs)
    assert f"换届期间共受理信访举报{total}件" in text
    assert f"{lobbying.removeprefix('严禁')}{of_type}件" in text


# The archive of the place


#: The file changed in the copy, and how: the complaint's record hidden in the trail.
VICTIM = "audit/trail.csv"


def tampered(source, target):
    """A copy of the archive whose audit trail no longer says a complaint was
    registered (the same length, so only the SHA-256 tells)."""
    with zipfile.ZipFile(source) as archive, zipfile.ZipFile(target, "w") as copy:
        for info in archive.infolist():
            data = archive.read(info.filename)
            if info.filename == VICTIM:
                changed = data.replace(b"complaints.register", b"complaints.deleted!")
                assert changed != data and len(changed) == len(data)
                data = changed
            copy.writestr(info, data)


def check_on_page(page, path):
    form = page.locator("#verify form")
    form.locator("input[name=file]").set_input_files(path)
    navigate(page, form.get_by_role("button", name="核验"))
    return page.locator("#verify-result")


def test_the_place_archive_is_made_and_verified(login, server, server_env, tmp_path):
    page = login("county")
    page.goto(story["weekly_place"])
    navigate(page, page.locator(".crumbs").get_by_role("link", name="时间表"))
    navigate(page, page.get_by_role("link", name="归档", exact=True))
    expect(page.locator("main h1")).to_contain_text(story["place"])
    made = page.locator("#archives tbody tr")
    before = made.count()
    navigate(page, page.get_by_role("button", name="生成新归档包"))
    success(page)
    expect(made).to_have_count(before + 1)
    message = page.locator("#messages .success").inner_text()
    sha = re.search(r"[0-9a-f]{64}", message).group(0)
    row = made.filter(has_text=sha)
    expect(row).to_have_count(1)

    with page.expect_download() as info:
        row.get_by_role("link", name="下载").click()
    download = info.value
    assert download.suggested_filename.startswith(f"{story['code']}-{story['place']}-归档-")
    path = tmp_path / "archive.zip"
    download.save_as(path)
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["place"] == {"code": story["code"], "name": story["place"]}
        listed = {f["path"] for f in manifest["files"]}
        assert listed == set(archive.namelist()) - {"manifest.json"}
        assert VICTIM in listed
        trail = "".join(
            archive.read(p).decode("utf-8-sig") for p in listed if p.startswith("audit/")
        )
    # The place's audit trail has the complaint and the incident registered there.
    assert "complaints.register" in trail and "complaints.incident_escalate" in trail

    result = check_on_page(page, path)
    expect(result.locator(".message.success")).to_be_visible()
    expect(result).to_contain_text(sha)
    expect(result).to_contain_text(story["place"])
    verified = archive_verify(server_env, path)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "archive intact" in verified.stdout
    assert f"{len(listed)} files match the manifest" in verified.stdout

    copy = tmp_path / "archive-copy.zip"
    tampered(path, copy)
    victim = VICTIM
    result = check_on_page(page, copy)
    expect(result.locator(".message.error")).to_be_visible()
    problems = result.locator("ul.problems li")
    expect(problems).to_have_count(1)
    expect(problems).to_contain_text(f"文件已被改动：{victim}")
    verified = archive_verify(server_env, copy)
    assert verified.returncode == 1, verified.stdout + verified.stderr
    assert f"Changed: {victim} does not match its SHA-256" in verified.stdout
    assert "NOT intact: 1 problem" in verified.stdout
    # The original is untouched and still checks.
    assert archive_verify(server_env, path).returncode == 0
