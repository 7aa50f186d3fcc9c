"""Election day in the two pilot communities of 湘龙街道.

One story, in order, on the shared demo county. Before the day, in 明岗社区 (votes in
three days), the township sets up a polling station and a mobile box, puts three
scrutineers on each (a candidate is refused), approves and posts a voter for the box,
registers an entrustment with its written authorisation (a candidate is refused as
proxy) and publishes the list of entrusters and proxies. On the day, in 清湘社区
(votes today), the committee opens the first vote, sets up the central venue and
checks voters in by number and by name; a second ballot for the same voter is
refused at another desk, and the counts follow. The two counters enter the ballots,
differing on one, which the scrutineers settle; the count leaves a member seat open,
so the confirmed result has a run-off (另行选举), scheduled within the ten days of the
Hunan profile; the certificates and the announcement are printed.

The tests depend on one another's state and run in file order. Candidates' names and
the keys of the ballot are read off the pages, never assumed.
"""

import io
import re
import struct
import zlib
from datetime import date, timedelta
from pathlib import Path

import pypdf
from browser_shared import legend, navigate, success, swapped
from playwright.sync_api import expect

TODAY_PLACE = "430121002002"  # 清湘社区, votes today (committee3)
COMING_PLACE = "430121002007"  # 明岗社区, votes in three days (township2)

#: The Hunan profile: a run-off within ten days of the vote.
RUNOFF_DAYS = 10

#: Voters checked in at the central venue of 清湘社区 (of 17 on its roll): more than
#: half, so that the vote stands; the result needs 10 // 2 + 1 = 6 votes.
TURNOUT = 10
THRESHOLD = TURNOUT // 2 + 1

#: What the story learns on the way.
story: dict = {}


# Helpers


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join(p.extract_text() for p in reader.pages).replace("\n", "").replace(" ", "")


def fetch_pdf(page, url: str) -> str:
    response = page.request.get(url)
    assert response.status == 200, response.text()
    assert response.headers["content-type"] == "application/pdf"
    return pdf_text(response.body())


def png() -> bytes:
    """A one-pixel PNG: the scan of a signed authorisation, as far as the form cares."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff"))
        + chunk(b"IEND", b"")
    )


def open_place(page, code):
    """From the nav item 选举日 to the place's page of election day."""
    navigate(page, page.locator("header.top nav a[href$='/polling/']"))
    navigate(page, page.locator(f"a[href*='/places/{code}/polling/']").first)


def election_section(page):
    """The residents' committee's election (the party committee's, listed too, votes at
    its members' meeting)."""
    return page.locator("section.card[id^=election-]").filter(
        has=page.locator("h2", has_text="居民委员会")
    )


def add_station(page, kind, name, location):
    form = page.locator("form.station-add")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=location]").fill(location)
    navigate(page, form.locator("button[type=submit]"))
    success(page)
    expect(page.locator("h1")).to_contain_text(name)


def candidates_on(page) -> list[str]:
    """The candidates a station's page names (those who may not watch or count)."""
    text = page.locator("main > p small").filter(has_text="、").first.inner_text()
    return [n.strip() for n in text.rsplit(": ", 1)[1].split("、")]


def add_duty(page, voter) -> bool:
    """Put ``voter`` on duty as scrutineer at the open station page; True if taken."""
    form = page.locator("#duties form.duty-add")
    form.locator("input[name=voter]").fill(str(voter))
    with swapped(page, "#duties"):
        form.locator("button[type=submit]").click()
    return page.locator("#duties .message.error[role=alert]").count() == 0


def three_scrutineers(
    page, refused_candidate, numbers=range(1, 40), *, elsewhere=False
) -> tuple[list[int], list]:
    """A candidate is refused with their name; then voters by number until three are
    on duty. Returns the numbers taken and the refusals met on the way (candidates and
    their near relatives). ``elsewhere``: the three are on duty at another station too,
    which the page warns about."""
    # Fewer than three scrutineers: the station is not in order yet.
    expect(page.locator("#duties .findings .message.error").first).to_be_visible()
    assert not add_duty(page, refused_candidate)
    expect(page.locator("#duties .message.error[role=alert]")).to_contain_text(refused_candidate)
    taken, refusals = [], []
    for number in numbers:
        if add_duty(page, number):
            taken.append(number)
            row = page.locator("#duties table.scrutineers tr[data-role=scrutineer]")
            expect(row).to_have_count(len(taken))
            if len(taken) == 3:
                break
        else:
            refusals.append(page.locator("#duties .message.error[role=alert]").inner_text())
    assert len(taken) == 3, refusals
    # Three scrutineers: no error left.
    expect(page.locator("#duties .findings .message.error")).to_have_count(0)
    if elsewhere:
        warned = page.locator("#duties .findings .message.warning[data-code$='.elsewhere']")
        expect(warned).to_have_count(3)
    else:
        expect(page.locator("#duties .findings .message.success")).to_be_visible()
    return taken, refusals


# Before the day, in 明岗社区


def test_township_sets_up_a_station_and_a_mobile_box(login, server):
    page = login("township2")
    open_place(page, COMING_PLACE)
    section = election_section(page)
    navigate(page, section.locator("a[href$='/stations/']"))
    story["coming_stations"] = page.url

    add_station(page, "station", "第一投票站", "社区服务中心一楼")
    candidates = candidates_on(page)
    assert len(candidates) == 8  # 2 directors, 2 deputies, 4 members
    story["coming_candidates"] = candidates
    story["scrutineers"], refusals = three_scrutineers(page, candidates[0])
    # The demo's households: some voters are near relatives of a candidate.
    assert any("候选人的近亲属不得担任" in r for r in refusals), refusals

    page.goto(story["coming_stations"])
    add_station(page, "mobile_box", "流动票箱", "行动不便的选民家中")
    # The box's scrutineers: the same three, who were accepted (明岗社区 has few
    # voters who are neither candidates nor their relatives), each with a warning that
    # they are on duty at the station too.
    three_scrutineers(page, candidates[-1], story["scrutineers"], elsewhere=True)

    # The box's voter, one not on duty: approved with the reason, then posted.
    navigate(page, page.locator("a[href$='/mobile/']").first)
    voter = next(n for n in range(1, 40) if n not in story["scrutineers"])
    form = page.locator("form.mobile-add")
    form.locator("input[name=voter]").fill(str(voter))
    form.locator("input[name=reason]").fill("因病卧床，行动不便")
    with swapped(page, "#mobile-voters"):
        form.locator("button[type=submit]").click()
    expect(page.locator("#mobile-voters .message.error")).to_have_count(0)
    lines = page.locator("table.mobile-voters tbody tr[data-name]")
    expect(lines).to_have_count(1)
    expect(lines.first.locator("td").first).to_have_text(str(voter))
    mobile_voter = lines.first.get_attribute("data-name")
    story["mobile_voter"] = voter
    navigate(page, page.locator("form.mobile-approve button"))
    success(page)
    navigate(page, page.locator("form.mobile-publish button"))
    success(page)
    posted = page.locator(".mobile-approval a[href$='/notice.pdf']")
    with page.expect_download() as info:
        posted.click()
    text = pdf_text(Path(info.value.path()).read_bytes())
    assert "流动票箱投票选民名单公告" in text and mobile_voter in text

    # Both in order on the list of stations, the box's voters posted.
    page.goto(story["coming_stations"])
    for kind in ("station", "mobile_box"):
        row = page.locator(f"table.stations tr[data-kind={kind}]")
        expect(row).to_have_count(1)
        expect(row.locator(".message.error")).to_have_count(0)
    box = page.locator("table.stations tr[data-kind=mobile_box] td").nth(1)
    expect(box.locator(".badge.green")).to_be_visible()


def test_township_registers_and_publishes_the_proxies(login, server, tmp_path):
    page = login("township2")
    page.goto(story["coming_stations"])
    navigate(page, page.locator("p.crumbs a[href$='/proxies/']"))
    scan = tmp_path / "委托书.png"
    scan.write_bytes(png())
    proxy = story["scrutineers"][0]

    def register(entruster, proxy):
        form = page.locator("form.proxy-add")
        form.locator("input[name=entruster]").fill(str(entruster))
        form.locator("input[name=proxy]").fill(str(proxy))
        form.locator("select[name=relation]").select_option(index=0)
        form.locator("input[name=authorisation]").set_input_files(str(scan))
        navigate(page, form.locator("button[type=submit]"))

    # A formal candidate cannot accept an entrustment: the refusal names the rule.
    candidate = story["coming_candidates"][1]
    register(story["scrutineers"][1], candidate)
    refusal = page.locator("#register .message.error")
    expect(refusal).to_contain_text(candidate)
    expect(refusal).to_contain_text("正式候选人不能接受委托")
    expect(page.locator("table.proxies tr[data-entruster]")).to_have_count(0)

    # A voter away on the day entrusts a scrutineer (one not on duty would do as well).
    for entruster in range(1, 40):
        if entruster in (proxy, story["mobile_voter"]):
            continue
        register(entruster, proxy)
        if page.locator("#register .message.error").count() == 0:
            break
    success(page)
    row = page.locator("table.proxies tr[data-entruster]")
    expect(row).to_have_count(1)
    names = (row.get_attribute("data-entruster"), row.get_attribute("data-proxy"))
    # The scan is kept with the entrustment.
    scan_url = row.locator("a[href$='/authorisation/']").get_attribute("href")
    assert page.request.get(server + scan_url).body() == scan.read_bytes()

    navigate(page, page.locator("form[action$='/proxies/publish/'] button"))
    success(page)
    with page.expect_download() as info:
        page.locator(".proxies-publish ul.notices a").first.click()
    text = pdf_text(Path(info.value.path()).read_bytes())
    assert "委托投票名单公告" in text
    assert all(name in text for name in names), (names, text)


# The day, in 清湘社区


def test_committee_opens_the_vote_and_checks_voters_in(login, server):
    page = login("committee3")
    open_place(page, TODAY_PLACE)
    section = election_section(page)
    form = section.locator("form[action$='/open/']")
    form.locator("select[name=method]").select_option("ballots")
    navigate(page, form.locator("button[type=submit]"))
    success(page)
    section = election_section(page)
    expect(section.locator("table.grid tbody tr")).to_have_count(1)
    story["place_page"] = page.url
    story["desk"] = section.locator("a[href$='/desk/']").get_attribute("href")
    story["count"] = section.locator("a[href$='/count/']").get_attribute("href")

    navigate(page, section.locator("a[href$='/stations/']"))
    add_station(page, "central", "中心会场", "清湘社区居委会大院")
    story["today_candidates"] = candidates_on(page)

    page.goto(server + story["desk"])
    navigate(page, page.locator("section.stations a[data-station]").first)
    desk = page.url

    def find(query):
        with swapped(page, "#desk-result"):
            page.locator("#desk-q").fill(str(query))
            page.locator("#desk-q").press("Enter")

    def issue():
        with swapped(page, "#desk-result"):
            page.locator("#desk-result button.issue").click()
        expect(page.locator("#desk-result .message.success.issued")).to_be_visible()

    # By name: a candidate votes too.
    find(story["today_candidates"][0])
    card = page.locator("#desk-result .desk-voter")
    expect(card).to_have_count(1)
    expect(card.locator(".name")).to_have_text(story["today_candidates"][0])
    issued = [int(card.get_attribute("data-voter"))]
    issue()
    # By voter number, the others.
    number = 0
    while len(issued) < TURNOUT - 1:
        number += 1
        if number in issued:
            continue
        find(number)
        expect(page.locator(f"#desk-result .desk-voter[data-voter='{number}']")).to_be_visible()
        issue()
        issued.append(number)
    expect(page.locator("#desk-counts .desk-figures")).to_have_attribute(
        "data-issued", str(len(issued))
    )

    # Two desks find the same voter; the first hands the ballot out, the second is
    # refused, in red.
    other = page.context.new_page()
    other.goto(desk)
    last = next(n for n in range(1, 40) if n not in issued)
    for desk_page in (page, other):
        desk_page.locator("#desk-q").fill(str(last))
        desk_page.locator("#desk-q").press("Enter")
        expect(desk_page.locator("#desk-result button.issue")).to_be_visible()
    issue()
    issued.append(last)
    with swapped(other, "#desk-result"):
        other.locator("#desk-result button.issue").click()
    refused = other.locator("#desk-result .message.error[role=alert]")
    expect(refused).to_be_visible()
    expect(other.locator("#desk-result .message.success")).to_have_count(0)
    assert refused.evaluate("el => getComputedStyle(el).color") != refused.evaluate(
        "el => getComputedStyle(el.parentElement).color"
    )
    other.close()
    # Found again, the voter shows as having voted.
    find(last)
    expect(page.locator("#desk-result .message.error.taken")).to_be_visible()
    expect(page.locator("#desk-result button.issue")).to_have_count(0)

    # The live counts: every ballot once.
    figures = page.locator("#desk-counts .desk-figures")
    expect(figures).to_have_attribute("data-issued", str(TURNOUT))
    expect(figures.locator("b.issued")).to_have_text(str(TURNOUT))
    page.reload()
    expect(page.locator("#desk-counts table.desk-counts tfoot")).to_contain_text(str(TURNOUT))
    story["issued"] = issued


# The count


def ballot(number: int) -> str:
    """Ballot ``number`` of the ten: the first director and deputy win with 7 and 6
    votes; members 1 and 2 get 6 each, 3 and 4 get 4 each — one member seat stays open,
    and members 3 and 4 stand in the run-off."""
    director = "1" if number <= 7 else "2"
    deputy = "1" if number <= 6 else "2"
    member = "12" if number <= 6 else "34"
    return f"{director} / {deputy} / {member}"


#: The ballot counter 2 reads wrongly.
MISREAD = 5


def enter_ballots(page, server, counter):
    page.goto(f"{server}{story['count']}{counter}/")
    for number in range(1, TURNOUT + 1):
        typed = ballot(number)
        if counter == 2 and number == MISREAD:
            typed = typed[:-2] + "13"
        form = page.locator("#count-entry form.entry")
        form.locator("input[name=number]").fill(str(number))
        form.locator("input[name=keys]").fill(typed)
        with swapped(page, "#count-entry"):
            form.locator("input[name=keys]").press("Enter")
        # Saved: the field is empty again under the next number.
        expect(form.locator("input[name=number]")).to_have_value(str(number + 1))
    expect(page.locator("#count-entry table.recent tbody tr[data-number]")).to_have_count(TURNOUT)


def test_two_counters_enter_the_ballots_and_the_count_leaves_a_seat_open(login, server):
    page = login("committee3")
    page.goto(server + story["count"])
    # The central venue's sheet: as many ballots issued as checked in, all returned.
    sheet = page.locator("table.boxes tbody tr[data-station]")
    expect(sheet).to_have_count(1)
    sheet.locator("input[name=issued]").fill(str(TURNOUT))
    sheet.locator("input[name=returned]").fill(str(TURNOUT))
    navigate(page, sheet.locator("button[type=submit]"))
    success(page)

    page.goto(f"{server}{story['count']}1/")
    offices = legend(page)
    assert [len(o) for o in offices] == [2, 2, 4]
    story["offices"] = offices
    enter_ballots(page, server, 1)
    enter_ballots(page, server, 2)

    # The two entries differ on one ballot: the count is refused and says which.
    page.goto(server + story["count"])
    expect(page.locator("section.progress .badge.red.differ")).to_be_visible()
    navigate(page, page.locator("section.compute button[type=submit]"))
    error = page.locator("#messages .error")
    expect(error).to_contain_text(str(MISREAD))
    assert page.url.endswith("/count/")
    navigate(page, page.locator("section.progress a[href$='/reconcile/']"))
    rows = page.locator("table.reconcile tbody tr[data-number]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-number", str(MISREAD))
    expect(rows.first.locator("td").nth(1)).to_contain_text(offices[2][1])
    expect(rows.first.locator("td").nth(2)).to_contain_text(offices[2][2])
    # The scrutineers read the paper ballot: counter 1 was right.
    navigate(page, rows.first.locator("form:has(input[name=choose][value='1']) button"))
    success(page)
    expect(page.locator("table.reconcile")).to_have_count(0)

    page.goto(server + story["count"])
    expect(page.locator("section.progress .badge.green")).to_be_visible()
    navigate(page, page.locator("section.compute button[type=submit]"))
    success(page)
    assert page.url.endswith("/result/")
    story["result"] = page.url

    director, deputy, members = offices
    expect(page.locator("section.turnout .badge.green")).to_be_visible()
    for office, elected, votes in (
        ("director", [director[0]], 7),
        ("deputy", [deputy[0]], 6),
        ("member", members[:2], 6),
    ):
        section = page.locator(f"section.office[data-office={office}]")
        expect(section.locator("h2 small")).to_contain_text(str(THRESHOLD))
        winners = section.locator("tr.elected")
        expect(winners).to_have_count(len(elected))
        for row, name in zip(winners.all(), elected, strict=True):
            expect(row.locator("td").first).to_have_text(name)
            expect(row.locator("td").nth(1)).to_have_text(str(votes))
            expect(row.locator("td.why")).to_contain_text(f"当选票数{THRESHOLD}")
    members_section = page.locator("section.office[data-office=member]")
    unfilled = members_section.locator("p.unfilled")
    expect(unfilled).to_be_visible()
    expect(unfilled).to_contain_text("另行选举")
    for name in members[2:]:
        expect(unfilled).to_contain_text(name)
        row = members_section.locator("tr").filter(has_text=name)
        expect(row.locator("td").nth(1)).to_have_text("4")
        expect(row.locator(".badge.amber")).to_be_visible()


def test_the_result_is_confirmed_and_the_run_off_scheduled(login, server):
    page = login("committee3")
    page.goto(story["result"])
    actions = page.locator("section.outcome-actions")
    expect(actions).to_have_attribute("data-state", "counting")
    navigate(page, actions.locator("form.confirm button"))
    success(page)
    actions = page.locator("section.outcome-actions")
    expect(actions).to_have_attribute("data-state", "confirmed")

    # Locked: the counters' pages take no more ballots.
    page.goto(f"{server}{story['count']}1/")
    expect(page.locator("p.sub + p.message.warning")).to_be_visible()
    expect(page.locator("form.entry")).to_have_count(0)

    # The run-off of the open member seat, within ten days of the vote.
    page.goto(story["result"])
    runoff = page.locator("section.outcome-actions .follow-up.runoff")
    expect(runoff.locator("li[data-office=member]")).to_contain_text(story["offices"][2][2])
    held_on = runoff.locator("input[name=held_on]")
    voted = date.fromisoformat(held_on.get_attribute("min"))
    latest = date.fromisoformat(held_on.get_attribute("max"))
    assert latest - voted == timedelta(days=RUNOFF_DAYS)
    expect(runoff.locator("small.latest")).to_contain_text(latest.isoformat())
    day = voted + timedelta(days=7)
    held_on.fill(day.isoformat())
    navigate(page, runoff.locator("button[type=submit]"))
    success(page)
    runoff = page.locator("section.outcome-actions .follow-up.runoff")
    expect(runoff.locator(".badge.green")).to_contain_text(day.isoformat())
    expect(runoff.locator("form")).to_have_count(0)

    # Listed on the place's page under the first vote, due by the latest day.
    page.goto(story["place_page"])
    polls = election_section(page).locator("table.grid tbody tr")
    expect(polls).to_have_count(2)
    expect(polls.nth(1)).to_contain_text(day.isoformat())
    expect(polls.nth(1)).to_contain_text(latest.isoformat())
    story["day"] = day


def test_certificates_and_announcement_are_printed(login, server):
    page = login("committee3")
    page.goto(story["place_page"])
    navigate(page, election_section(page).locator("a[href$='/results/']"))
    seats = page.locator("section.seats")
    expect(seats.locator("tr[data-office=member] td.open .badge.amber")).to_have_text("1")
    expect(seats.locator("tr[data-office=director]")).to_contain_text(story["offices"][0][0])

    certificates = page.locator("section.certificates")
    navigate(page, certificates.locator("form.issue button"))
    success(page)
    certificates = page.locator("section.certificates")
    winners = [story["offices"][0][0], story["offices"][1][0], *story["offices"][2][:2]]
    for name in winners:
        expect(certificates).to_contain_text(name)
    expect(certificates.locator("form.issue")).to_have_count(0)
    url = certificates.locator("a[href$='/certificates/']").get_attribute("href")
    text = fetch_pdf(page, server + url)
    assert "当选证书" in text
    for name in winners:
        assert name in text
    # Each certificate names the office: 当选为清湘社区居民委员会主任.
    office = page.locator("section.seats tr[data-office=director] td").first.inner_text().strip()
    assert re.search(f"当选为清湘社区.*{office}", text), text

    # The announcement, posted.
    first = page.locator("section.outcome-actions").last
    navigate(page, first.locator("form.publish button"))
    success(page)
    posted = page.locator("section.outcome-actions a[href*='/announcements/']").first
    text = fetch_pdf(page, server + posted.get_attribute("href"))
    assert "结果公告" in text
    assert f"当选最低票数{THRESHOLD}票" in text
    assert "另行选举" in text
    for name in winners:
        assert name in text
