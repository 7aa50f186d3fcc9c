"""The party branch of 清湘社区 elects its committee, and the place has one person as
party secretary and committee director (一肩挑).

One story, in order, on the shared demo county, after election day (test_polling.py
leaves the residents' committee of 清湘社区 confirmed, its director elected). The
committee imports two residents into the branch's roster (a bad file is refused with
its row and column and writes nothing); a full member is left out of the due number
with the branch's decision, the township's consent and the meeting's approval. The
first members' meeting misses its quorum (more than 4/5 of those due) by one and is
adjourned; the second has it, adopts the election method and votes. The party vote is
counted on the polling pages — elected with approvals from more than half of those
due — and confirmed. The new committee's first plenary elects the director 书记, the
township approves (批复), and the place's page shows 一肩挑.

The tests depend on one another's state and run in file order. Names are read off
the pages, never assumed; ID numbers, which the pages mask, come from the server's
database, as the branch's own list would have them.
"""

from datetime import date, timedelta

from browser_shared import legend, navigate, query, success, swapped
from playwright.sync_api import expect

PLACE = "430121002002"  # 清湘社区 (committee3; township2 over 湘龙街道)

#: The columns of a roster file (the import page lists them).
COLUMNS = (
    "姓名",
    "公民身份号码",
    "党员类别",
    "入党日期",
    "留党察看",
    "停止党籍权利",
    "组织关系所在",
    "所在支部/党小组",
    "干部",
    "生产一线",
)

#: The demo's branch: eleven members, one probationary.
MEMBERS = 11

#: What the story learns on the way.
story: dict = {}


# Helpers


def not_yet_members(server_env, n: int) -> list[dict]:
    """``n`` adult residents of 清湘社区 who are not party members: name, ID number and
    birth date."""
    born_by = date.today() - timedelta(days=365 * 21)
    rows = query(
        server_env,
        "SELECT name, id_number, birth_date FROM voters_resident"
        f" WHERE household_code = '{PLACE}' AND in_records AND birth_date <= '{born_by}'"
        " AND id NOT IN (SELECT resident_id FROM party_member) ORDER BY id",
    )
    assert len(rows) >= n, rows
    return [
        {"name": name, "id_number": number, "born": date.fromisoformat(str(born))}
        for name, number, born in rows[:n]
    ]


def roster_file(people) -> bytes:
    """A roster CSV of ``people``, full members who joined at 19 (or on their
    ``joined``)."""
    lines = [",".join(COLUMNS)]
    for person in people:
        day = person.get("joined") or date(person["born"].year + 19, 7, 1).isoformat()
        lines.append(
            f"{person['name']},{person['id_number']},正式党员,{day},否,否,,第一党小组,否,是"
        )
    return ("\n".join(lines) + "\n").encode()


def upload(page, name: str, data: bytes):
    page.locator("input[name=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    navigate(page, page.locator("form[enctype] button"))


def roster(page) -> list[dict]:
    """The members on the roster page: pk, name and whether they have a vote."""
    found = []
    for row in page.locator("#roster-table tbody tr[data-member]").all():
        found.append(
            {
                "pk": row.get_attribute("data-member"),
                "name": row.locator("td").first.locator("a").inner_text().strip(),
                "vote": row.locator("td").last.locator(".badge.green").count() == 1,
            }
        )
    return found


def open_party_place(page):
    """From the nav item 党组织 to 清湘社区's party page."""
    navigate(page, page.locator("header.top nav a[href$='/party/']"))
    navigate(page, page.locator(f"#party-places a[href$='/places/{PLACE}/party/']"))


def today_of(field) -> str:
    """The server's today: the latest day a date field allows."""
    return field.get_attribute("max")


def leave_row(page):
    return page.locator(f"table.leaves tr[data-member='{story['left_out']['name']}']")


def due_number(page):
    return page.locator("section.due b.due-number")


def quorum(page):
    return page.locator("#meeting-quorum .meeting-quorum")


def check_in(page, member):
    """Find ``member`` by name at the attendance desk and check them in."""
    with swapped(page, "#meeting-found"):
        page.locator("#meeting-q").fill(member["name"])
        page.locator("#meeting-q").press("Enter")
    row = page.locator(f"#meeting-found tr[data-member='{member['pk']}']")
    with swapped(page, "#meeting-found"):
        row.locator("button.check-in").click()
    expect(page.locator("#meeting-found .message.success")).to_contain_text(member["name"])


def call_meeting(page, venue):
    form = page.locator("form.meeting-call")
    form.locator("input[name=venue]").fill(venue)
    navigate(page, form.locator("button[type=submit]"))
    success(page)
    expect(page.locator(".meeting-state")).to_have_attribute("data-state", "open")


# Before the vote


def test_committee_imports_two_members(login, server, server_env):
    page = login("committee3")
    # The director the residents elected (test_polling.py), off the place's page: not
    # yet secretary, since no party committee is in office.
    page.goto(f"{server}/places/{PLACE}/")
    section = page.locator(".two-committees-section .two-committees")
    expect(section).to_have_attribute("data-dual-head", "no")
    director = section.locator("td.committee-side span[data-office=director]")
    expect(director).to_have_count(1)
    story["director"] = director.inner_text().strip().split(" ", 1)[1]

    open_party_place(page)
    story["party_place"] = page.url
    navigate(page, page.locator("#organisations a[href$='/party/members/']"))
    story["roster"] = page.url
    before = roster(page)
    assert len(before) == MEMBERS
    assert sum(not m["vote"] for m in before) == 1  # the probationary member

    new = not_yet_members(server_env, 2)
    story["new"] = [p["name"] for p in new]
    navigate(page, page.locator("a[href$='/members/import/']"))
    # A file with a date that is no date: refused, row and column named, nothing written.
    upload(page, "党员名册.csv", roster_file([new[0], {**new[1], "joined": "2022-13-01"}]))
    problems = page.locator("#import-problems li")
    expect(problems).to_have_count(1)
    expect(problems).to_contain_text("第3行“入党日期”列")
    page.goto(story["roster"])
    assert len(roster(page)) == MEMBERS

    navigate(page, page.locator("a[href$='/members/import/']"))
    upload(page, "党员名册.csv", roster_file(new))
    success(page)
    assert page.url == story["roster"]
    after = roster(page)
    assert len(after) == MEMBERS + 2
    added = [m for m in after if m["name"] in story["new"]]
    assert len(added) == 2 and all(m["vote"] for m in added), added
    story["members"] = after


def test_a_member_is_left_out_of_the_due_number(login, server):
    page = login("committee3")
    # The candidates the township approved, off their page (the one left out is not one).
    page.goto(story["party_place"])
    leaves = page.locator("#elections a[href$='/leaves/']").get_attribute("href")
    story["leaves"] = server + leaves
    # …/party/<election>/leaves/ → the election's 两推一选 page …/candidates/<election>/party/
    page.goto(story["leaves"].replace("/party/", "/candidates/").replace("/leaves/", "/party/"))
    candidates = page.locator("table.chosen tbody tr[data-name]")
    expect(candidates).to_have_count(4)
    story["candidates"] = [c.get_attribute("data-name") for c in candidates.all()]
    assert story["director"] in story["candidates"]
    story["left_out"] = next(
        m
        for m in story["members"]
        if m["vote"] and m["name"] not in story["candidates"] + story["new"]
    )

    page.goto(story["leaves"])
    voters = MEMBERS - 1 + 2
    expect(due_number(page)).to_have_attribute("data-due", str(voters))
    # The situation, with the branch's decision; the consent is not the committee's.
    form = page.locator("form.leave-add")
    form.locator("select[name=member]").select_option(story["left_out"]["pk"])
    form.locator("select[name=reason]").select_option("bedridden")
    day = form.locator("input[name=branch_decided_on]")
    day.fill(today_of(day))
    expect(form.locator("input[name=upper_level_agreed_on]")).to_have_count(0)
    navigate(page, form.locator("button[type=submit]"))
    success(page)
    expect(leave_row(page)).to_have_class("not-counting")
    expect(leave_row(page).locator("input[name=upper_level_agreed_on]")).to_have_count(0)
    expect(due_number(page)).to_have_attribute("data-due", str(voters))

    # The upper level's consent, by the township.
    township = login("township2")
    township.goto(story["leaves"])
    form = leave_row(township).locator("form.approvals")
    day = form.locator("input[name=upper_level_agreed_on]")
    day.fill(today_of(day))
    navigate(township, form.locator("button[type=submit]"))
    success(township)
    expect(leave_row(township)).to_have_class("not-counting")

    # The meeting's approval: the leave counts, and the due number drops by one.
    page.reload()
    form = leave_row(page).locator("form.approvals")
    day = form.locator("input[name=meeting_approved_on]")
    day.fill(today_of(day))
    navigate(page, form.locator("button[type=submit]"))
    success(page)
    expect(leave_row(page)).to_have_class("counts")
    expect(leave_row(page).locator(".badge.green")).to_be_visible()
    expect(due_number(page)).to_have_attribute("data-due", str(voters - 1))
    expect(page.locator("table.due-breakdown tr.left-out")).to_contain_text(
        story["left_out"]["name"]
    )
    story["due"] = voters - 1


# The members' meetings


def test_a_meeting_without_quorum_is_adjourned_and_the_next_votes(login, server):
    page = login("committee3")
    due = story["due"]
    due_members = [m for m in story["members"] if m["vote"] and m["pk"] != story["left_out"]["pk"]]
    assert len(due_members) == due
    # The most that is not more than 4/5 of those due: one short of the quorum.
    short = due * 4 // 5
    page.goto(story["leaves"])
    navigate(page, page.locator("p.crumbs a[href$='/meetings/']"))
    story["meetings"] = page.url
    call_meeting(page, "社区党群服务中心")
    expect(quorum(page)).to_have_attribute("data-due", str(due))
    for member in due_members[:short]:
        check_in(page, member)
    # The probationary member attends without a vote.
    probationary = next(m for m in story["members"] if not m["vote"])
    check_in(page, probationary)
    expect(page.locator("#meeting-found .message.success")).to_contain_text("无表决权")
    expect(quorum(page)).to_have_attribute("data-present", str(short))
    expect(quorum(page)).to_have_attribute("data-quorum", "no")
    expect(page.locator("#meeting-quorum .quorum-no")).to_be_visible()

    # Without quorum the method and the vote are not offered; asked for all the same,
    # the method is refused.
    page.reload()
    expect(page.locator("table.attendance tbody tr[data-member]")).to_have_count(short + 1)
    decisions = page.locator("section.decisions")
    expect(decisions.locator("form.method")).to_have_count(0)
    expect(decisions.locator("form.vote")).to_have_count(0)
    adjourn = decisions.locator("form.adjourn")
    adjourn.evaluate("f => { f.action = f.action.replace(/adjourn\\/$/, 'method/'); }")
    navigate(page, adjourn.locator("button"))
    expect(page.locator("#messages .error")).to_contain_text(f"{short}")
    expect(page.locator(".method-adopted")).to_have_count(0)
    navigate(page, page.locator("section.decisions form.adjourn button"))
    success(page)
    expect(page.locator(".meeting-state")).to_have_attribute("data-state", "adjourned")
    expect(quorum(page)).to_have_attribute("data-present", str(short))

    # The second meeting: one more member, and the quorum is there.
    page.goto(story["meetings"])
    expect(page.locator("table.meetings tr[data-state=adjourned]")).to_have_count(1)
    call_meeting(page, "社区党群服务中心")
    story["meeting"] = page.url
    for member in due_members[: short + 1]:
        check_in(page, member)
    expect(quorum(page)).to_have_attribute("data-present", str(short + 1))
    expect(quorum(page)).to_have_attribute("data-quorum", "yes")
    page.reload()
    decisions = page.locator("section.decisions")
    expect(decisions.locator("form.adjourn")).to_have_count(0)
    decisions.locator("form.method textarea[name=text]").fill("差额选举，无记名投票。")
    navigate(page, decisions.locator("form.method button"))
    success(page)
    expect(page.locator(".method-adopted")).to_be_visible()
    navigate(page, page.locator("section.decisions form.vote button"))
    success(page)
    expect(page.locator(".meeting-state")).to_have_attribute("data-state", "voting")
    links = page.locator("p.vote-links")
    expect(links).to_contain_text(str(due))
    expect(links).to_contain_text(str(short + 1))
    story["present"] = short + 1


# The party vote


def party_ballots(keys: list[str]) -> list[str]:
    """The ballots of those present: each approves the director and the first other
    candidate; all but two approve the second other, those two the third."""
    director, first, second, third = keys
    return [
        "".join(sorted(director + first + (second if n < story["present"] - 2 else third)))
        for n in range(story["present"])
    ]


def test_the_party_vote_elects_the_director_and_two_others(login, server):
    page = login("committee3")
    page.goto(story["meeting"])
    navigate(page, page.locator("p.vote-links a[href$='/count/']"))
    story["count"] = page.url
    navigate(page, page.locator("section.progress tr[data-counter='1'] a"))
    (names,) = legend(page)
    assert sorted(names) == sorted(story["candidates"])
    director = story["director"]
    others = [n for n in names if n != director]
    keys = [str(names.index(n) + 1) for n in (director, *others)]
    ballots = party_ballots(keys)

    for counter in (1, 2):
        page.goto(f"{story['count']}{counter}/")
        for number, typed in enumerate(ballots, 1):
            form = page.locator("#count-entry form.entry")
            form.locator("input[name=number]").fill(str(number))
            form.locator("input[name=keys]").fill(typed)
            with swapped(page, "#count-entry"):
                form.locator("input[name=keys]").press("Enter")
            expect(form.locator("input[name=number]")).to_have_value(str(number + 1))

    page.goto(story["count"])
    expect(page.locator("section.progress .badge.green")).to_be_visible()
    navigate(page, page.locator("section.compute button[type=submit]"))
    success(page)
    assert page.url.endswith("/result/")
    story["result"] = page.url

    # Elected: approvals from more than half of the due (not of those present).
    threshold = story["due"] // 2 + 1
    office = page.locator("section.office")
    expect(office.locator("h2 small")).to_contain_text(str(threshold))
    elected = [director, others[0], others[1]]
    winners = office.locator("tr.elected")
    expect(winners).to_have_count(3)
    assert sorted(w.locator("td").first.inner_text().strip() for w in winners.all()) == sorted(
        elected
    )
    loser = office.locator("tr").filter(has_text=others[2])
    expect(loser.locator("td").nth(1)).to_have_text("2")
    expect(loser).not_to_have_class("elected")
    story["elected"] = elected

    actions = page.locator("section.outcome-actions")
    expect(actions).to_have_attribute("data-state", "counting")
    navigate(page, actions.locator("form.confirm button"))
    success(page)
    expect(page.locator("section.outcome-actions")).to_have_attribute("data-state", "confirmed")

    page.goto(story["meeting"])
    navigate(page, page.locator("section.decisions form.close button"))
    success(page)
    expect(page.locator(".meeting-state")).to_have_attribute("data-state", "closed")


# The first plenary and the approval


def choose(form, office: str, name: str):
    """Tick ``name`` alone as the candidate for ``office``."""
    fieldset = form.locator(f"fieldset.choices[data-office={office}]")
    for box in fieldset.locator("input[type=checkbox]").all():
        box.uncheck()
    fieldset.locator("label").filter(has_text=name).locator("input").check()


def test_first_plenary_elects_the_director_secretary_and_is_approved(login, server):
    page = login("committee3")
    page.goto(story["party_place"])
    navigate(page, page.locator("#elections a[href$='/plenary/']"))
    story["plenary"] = page.url
    committee = page.locator("#committee .committee-members")
    for name in story["elected"]:
        expect(committee).to_contain_text(name)

    director, deputy = story["elected"][0], story["elected"][1]
    form = page.locator("form.open-plenary")
    expect(form.locator("input[name=present]")).to_have_value("3")
    choose(form, "secretary", director)
    choose(form, "deputy_secretary", deputy)
    navigate(page, form.locator("button[type=submit]"))
    success(page)
    expect(page.locator("#plenary-state")).to_have_attribute("data-state", "open")
    expect(page.locator("table.candidates tr[data-office=secretary]")).to_contain_text(director)

    votes = page.locator("form.plenary-votes")
    votes.locator(f"tr[data-name='{director}'] input[name^='votes-secretary-m']").fill("3")
    votes.locator(f"tr[data-name='{deputy}'] input[name^='votes-deputy_secretary-m']").fill("3")
    navigate(page, votes.locator("button[type=submit]"))
    success(page)
    for office, name in (("secretary", director), ("deputy_secretary", deputy)):
        won = page.locator(f"table.result[data-office={office}] tr.elected")
        expect(won).to_have_count(1)
        expect(won).to_have_attribute("data-name", name)
    navigate(page, page.locator("form.report button"))
    success(page)
    expect(page.locator("#plenary-state")).to_have_attribute("data-state", "reported")
    # The approval is the upper level's.
    expect(page.locator("form.approve")).to_have_count(0)

    township = login("township2")
    township.goto(story["plenary"])
    form = township.locator("form.approve")
    form.locator("input[name=approved_by]").fill("中共湘龙街道工作委员会")
    form.locator("input[name=reference]").fill("湘龙组复〔2026〕9号")
    navigate(township, form.locator("button[type=submit]"))
    success(township)
    expect(township.locator("#plenary-state")).to_have_attribute("data-state", "approved")
    expect(township.locator("#approval p.approved")).to_contain_text("湘龙组复〔2026〕9号")
    # In office: the committee the plenary elected.
    party = township.locator("#two-committees td.party-side")
    expect(party.locator("span[data-office=secretary]")).to_contain_text(director)
    expect(party.locator("span[data-office=deputy_secretary]")).to_contain_text(deputy)


def test_the_place_has_one_person_as_secretary_and_director(login, server):
    page = login("committee3")
    page.goto(story["plenary"])
    navigate(page, page.locator(f"p.crumbs a[href$='/places/{PLACE}/']"))
    section = page.locator(".two-committees-section .two-committees")
    expect(section).to_have_attribute("data-dual-head", "yes")
    expect(section.locator("p.dual-head")).to_contain_text(story["director"])
    expect(section.locator("p.cross-appointed")).to_contain_text(story["director"])
    expect(section.locator("td.party-side span[data-office=secretary]")).to_contain_text(
        story["director"]
    )
