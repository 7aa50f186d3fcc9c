"""两推一选 of 明岗社区's party committee, as the staff of 湘龙街道 (township2) do it
(DOMAIN §5.1, §5.3, §8).

One story, in order, on the shared demo county. The branch of 明岗社区 has no members
yet: the township imports some of the place's residents into its roster, one of them a
probationary member. The recommendation by the members and the public is recorded —
refused while it names the probationary member, who cannot be elected — and the
township committee puts forward the candidates: as many as the seats is refused, the
top of the ranking, 20% more than the seats, is taken. Every department of the joint
review clears them, each is inspected, and the list is published (公示) with its PDF;
the request (请示) comes after the 公示 has run, and the approval (批复) makes the
candidates final: no form is left, and a withdrawal is refused.

Dates are in the past, as no step may be dated in the future: recommended 20 days ago,
decided 15 days ago, inspected 12 days ago, published 10 days ago (so the 公示 has run
its 5 days), requested and approved today.

The tests depend on one another's state and run in file order; they touch only
明岗社区 (清湘社区 is test_two_committees_story.py's). Names are read off the pages,
never assumed; the people imported, and their ID numbers, which the pages mask, come
from the server's database, as the branch's own list would have them. The candidates
are people with no near relative (任职回避, DOMAIN §5.3) among the place's candidates,
which would block the 公示.
"""

import io
import re
from datetime import date, timedelta

import pypdf
from browser_shared import navigate, query, success
from playwright.sync_api import expect

from huanjie.rules.kinship import Family
from huanjie.rules.names import sort_names

PLACE = "430121002007"  # 明岗社区 (township2 over 湘龙街道); its committee votes in 3 days

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

#: Full members recommended beside the candidates, with fewer votes.
OTHERS = 2

#: Those of the public taking part in the recommendation.
PUBLIC = 40

#: What the story learns on the way.
story: dict = {}


# Helpers


def residents_to_import(server_env) -> tuple[list[dict], list[dict]]:
    """The place's adult residents (household or residence) who are not party members,
    split into those who may stand together — no near relative among themselves or
    among the place's other candidates — and the rest: name, ID number, birth date."""
    born_by = date.today() - timedelta(days=365 * 21)
    rows = query(
        server_env,
        "SELECT id, name, id_number, birth_date, sex FROM voters_resident"
        f" WHERE (household_code = '{PLACE}' OR residence_code = '{PLACE}') AND in_records"
        f" AND birth_date <= '{born_by}'"
        " AND id NOT IN (SELECT resident_id FROM party_member) ORDER BY id",
    )
    standing = {
        person
        for (person,) in query(
            server_env,
            "SELECT c.resident_id FROM candidates_candidate c"
            " JOIN cycles_election e ON e.id = c.election_id"
            " JOIN places_place p ON p.id = e.place_id"
            f" WHERE p.code = '{PLACE}' AND c.status IN ('nominee', 'formal')",
        )
    }
    family = Family(query(server_env, "SELECT person_id, relative_id, kind FROM voters_relation"))
    clean, rest = [], []
    for pk, name, number, born, sex in rows:
        person = {
            "pk": pk,
            "name": name,
            "id_number": number,
            "born": date.fromisoformat(str(born)),
            "sex": sex,
        }
        relatives = set(family.circle(pk))
        taken = {p["pk"] for p in clean} | standing
        (rest if relatives & taken else clean).append(person)
    return clean, rest


def roster_file(people) -> bytes:
    """A roster CSV of ``people``: full members who joined at 19, or with their own
    ``status`` and ``joined``."""
    lines = [",".join(COLUMNS)]
    for person in people:
        day = person.get("joined") or date(person["born"].year + 19, 7, 1).isoformat()
        status = person.get("status", "正式党员")
        lines.append(
            f"{person['name']},{person['id_number']},{status},{day},否,否,,第一党小组,否,是"
        )
    return ("\n".join(lines) + "\n").encode()


def upload(page, name: str, data: bytes):
    page.locator("input[name=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    navigate(page, page.locator("form[enctype] button"))


def roster(page) -> list[dict]:
    """The members on the roster page: name and whether they have a vote."""
    return [
        {
            "name": row.locator("td").first.locator("a").inner_text().strip(),
            "vote": row.locator("td").last.locator(".badge.green").count() == 1,
        }
        for row in page.locator("#roster-table tbody tr[data-member]").all()
    ]


def open_party_page(page):
    """From the nav item 候选人 to the place's 两推一选 page."""
    navigate(page, page.locator("header.top nav a[href$='/candidates/']"))
    page.locator("input[name=q]").fill("明岗社区")
    navigate(page, page.locator("main form.inline button[type=submit]"))
    navigate(page, page.locator(f"table a[href$='/places/{PLACE}/candidates/']").first)
    party = page.locator("section.election[data-body=party_committee]")
    navigate(page, party.locator("a[href$='/party/']"))


def day_before(field, days: int) -> str:
    """``days`` before the server's today, which is the latest day a date field allows."""
    return (date.fromisoformat(field.get_attribute("max")) - timedelta(days=days)).isoformat()


def step(page, key: str):
    return page.locator(f"ol.steps li[data-step={key}]")


def error(page):
    return page.locator("#messages .error")


def ranking(page) -> list[str]:
    return [r.get_attribute("data-name") for r in page.locator("table.ranking tbody tr").all()]


def chosen(page):
    return page.locator("table.chosen tbody tr[data-name]")


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "".join(p.extract_text() for p in reader.pages).replace("\n", "")


# The branch's members


def test_the_township_imports_the_branch_members(login, server, server_env):
    page = login("township2")
    navigate(page, page.locator("header.top nav a[href$='/party/']"))
    navigate(page, page.locator(f"#party-places a[href$='/places/{PLACE}/party/']"))
    navigate(page, page.locator("#organisations a[href$='/party/members/']"))
    story["roster"] = page.url
    before = roster(page)

    clean, rest = residents_to_import(server_env)
    # Enough people who may stand together (the seats are read off the 两推一选 page).
    assert len(clean) >= 6, clean
    assert len(rest) >= OTHERS + 1, rest
    probationary = {
        **rest[OTHERS],
        "status": "预备党员",
        "joined": (date.today() - timedelta(days=200)).isoformat(),
    }
    people = [*clean, *rest[:OTHERS], probationary]
    navigate(page, page.locator("a[href$='/members/import/']"))
    upload(page, "党员名册.csv", roster_file(people))
    success(page)
    assert page.url == story["roster"]
    after = roster(page)
    assert len(after) == len(before) + len(people)
    votes = {m["name"]: m["vote"] for m in after}
    assert all(votes[p["name"]] for p in [*clean, *rest[:OTHERS]]), votes
    assert votes[probationary["name"]] is False
    story.update(
        clean=[p["name"] for p in clean],
        women={p["name"] for p in clean if p["sex"] == "F"},
        others=[p["name"] for p in rest[:OTHERS]],
        id_numbers={p["name"]: p["id_number"] for p in clean},
        probationary=probationary["name"],
        voting=sum(m["vote"] for m in after),
    )


# The recommendation (两推) and the township's decision


def recommendation_rows(names: list[str]) -> list[str]:
    """A line for each name, fewer votes down the list: members' votes out of those
    with a vote, public votes out of :data:`PUBLIC`. The second person is given by
    their ID number, as the form allows."""
    lines = []
    for i, name in enumerate(names):
        members = max(story["voting"] - i, 1)
        public = PUBLIC - 3 * i
        lines.append(f"{story['id_numbers'][name] if i == 1 else name} {members} {public}")
    return lines


def test_the_members_and_the_public_recommend(login, server):
    page = login("township2")
    open_party_page(page)
    story["party"] = page.url
    expect(page.locator("h1")).to_contain_text("明岗社区")
    # The seats and the candidates needed, off the page: "5 seats, at least 6".
    sub = page.locator("p.sub").first.inner_text().split("DOMAIN")[0]
    seats, needed = (int(n) for n in re.findall(r"\d+", sub)[:2])
    assert needed >= seats * 1.2, (seats, needed)
    assert needed <= len(story["clean"]), (needed, story["clean"])
    # A woman among the candidates (DOMAIN §5.3).
    assert story["women"] & set(story["clean"][:needed]), story["clean"]
    story.update(seats=seats, needed=needed)
    expect(step(page, "recommend")).to_have_attribute("data-state", "current")
    expect(step(page, "approve")).to_have_attribute("data-state", "waiting")

    # The candidates first, then the others, fewer votes down the list.
    names = story["clean"][:needed] + story["others"]
    form = page.locator("form.recommend")
    held_on = form.locator("input[name=held_on]")
    held_on.fill(day_before(held_on, 20))
    form.locator("input[name=members_present]").fill(str(story["voting"]))
    form.locator("input[name=public_present]").fill(str(PUBLIC))

    # A probationary member cannot be elected: refused, the rows typed come back.
    typed = "\n".join(recommendation_rows(names) + [f"{story['probationary']} 1 5"])
    form.locator("textarea[name=rows]").fill(typed)
    navigate(page, form.locator("button[type=submit]"))
    expect(error(page)).to_contain_text(story["probationary"])
    expect(error(page)).to_contain_text("不能当选")
    expect(page.locator("form.recommend textarea[name=rows]")).to_have_value(typed)
    expect(page.locator("table.ranking")).to_have_count(0)
    expect(step(page, "recommend")).to_have_attribute("data-state", "current")

    form = page.locator("form.recommend")
    form.locator("textarea[name=rows]").fill("\n".join(recommendation_rows(names)))
    navigate(page, form.locator("button[type=submit]"))
    success(page)
    expect(page.locator("#messages .success")).to_contain_text(f"{len(names)}人")
    expect(step(page, "recommend")).to_have_attribute("data-state", "done")
    expect(step(page, "decide")).to_have_attribute("data-state", "current")
    # Ranked by the members' and the public votes together; the row given by ID
    # number shows its member's name.
    assert ranking(page) == names
    top = page.locator("table.ranking tbody tr").first
    expect(top.locator("td").nth(5)).to_have_text(str(story["voting"] + PUBLIC))
    story["recommended"] = names


def test_the_township_puts_forward_a_fifth_more_than_the_seats(login, server):
    page = login("township2")
    page.goto(story["party"])
    names = ranking(page)
    assert names == story["recommended"]
    form = page.locator("form.decide")

    def decide(picked):
        for name in picked:
            form.locator(f"tr[data-name='{name}'] input[name=chosen]").check()
        day = form.locator("input[name=decided_on]")
        day.fill(day_before(day, 15))
        navigate(page, form.locator("button[type=submit]"))

    # As many candidates as seats: no choice for the members (差额), refused.
    decide(names[: story["seats"]])
    expect(error(page)).to_contain_text(f"{story['needed']}名")
    expect(error(page)).to_contain_text(f"{story['seats']}名")
    expect(step(page, "decide")).to_have_attribute("data-state", "current")
    expect(chosen(page)).to_have_count(0)

    # The top of the ranking, 20% more than the seats.
    story["candidates"] = names[: story["needed"]]
    decide(story["candidates"])
    success(page)
    expect(page.locator("#messages .success")).to_contain_text(f"{story['needed']}名")
    expect(step(page, "decide")).to_have_attribute("data-state", "done")
    expect(step(page, "review")).to_have_attribute("data-state", "current")
    # Decided: the recommendation and the choice are no longer offered.
    expect(page.locator("form.recommend")).to_have_count(0)
    expect(page.locator("input[name=chosen]")).to_have_count(0)
    for name in story["recommended"]:
        status = "nominee" if name in story["candidates"] else "recommended"
        expect(page.locator(f"table.ranking tr[data-name='{name}']")).to_have_attribute(
            "data-status", status
        )
    assert sorted(c.get_attribute("data-name") for c in chosen(page).all()) == sorted(
        story["candidates"]
    )
    for row in chosen(page).all():
        expect(row).to_have_attribute("data-review", "awaiting")
        expect(row).to_have_attribute("data-inspected", "no")
    # The 公示 waits for the review and the inspection.
    expect(page.locator("form.publicity")).to_have_count(0)
    expect(page.locator("ul.blockers")).to_contain_text(story["candidates"][0])


# The joint review, the inspection and the 公示


def test_every_department_clears_the_candidates(login, server):
    page = login("township2")
    navigate(page, page.locator("header.top nav a[href$='/candidates/']"))
    navigate(page, page.locator("main a[href$='/reviews/']"))
    departments = [
        o.get_attribute("value") for o in page.locator("select[name=department] option").all()
    ]
    assert len(departments) > 1
    for department in departments:
        page.goto(f"{server}/reviews/?department={department}&q=明岗社区")
        rows = page.locator("table.reviews tbody tr[data-name]")
        assert sorted(r.get_attribute("data-name") for r in rows.all()) == sorted(
            story["candidates"]
        )
        page.locator("#clear-form input[type=checkbox]").check()
        navigate(page, page.locator("#clear-form button"))
        success(page)
        expect(page.locator("#messages .success")).to_contain_text(str(len(story["candidates"])))
        expect(page.locator("table.reviews form.verdict")).to_have_count(0)

    page.goto(story["party"])
    for row in chosen(page).all():
        expect(row).to_have_attribute("data-review", "clear")
    expect(step(page, "review")).to_have_attribute("data-state", "current")


def test_each_candidate_is_inspected_and_the_list_is_published(login, server):
    page = login("township2")
    page.goto(story["party"])
    for name in story["candidates"]:
        form = page.locator(f"table.chosen tr[data-name='{name}'] form.inspect")
        form.locator("textarea[name=findings]").fill(f"{name}：政治素质好，群众公认。")
        day = form.locator("input[name=inspected_on]")
        day.fill(day_before(day, 12))
        navigate(page, form.locator("button[type=submit]"))
        success(page)
        expect(page.locator("#messages .success")).to_contain_text(name)
        expect(page.locator(f"table.chosen tr[data-name='{name}']")).to_have_attribute(
            "data-inspected", "yes"
        )
    expect(step(page, "review")).to_have_attribute("data-state", "done")
    expect(page.locator("ul.blockers")).to_have_count(0)
    expect(page.locator("#review .findings .message.error")).to_have_count(0)

    form = page.locator("form.publicity")
    day = form.locator("input[name=published_on]")
    published = day_before(day, 10)
    day.fill(published)
    navigate(page, form.locator("button[type=submit]"))
    success(page)
    # Five days of 公示, over before today.
    ends = (date.fromisoformat(published) + timedelta(days=5)).isoformat()
    expect(page.locator("#messages .success")).to_contain_text(published)
    expect(page.locator("#messages .success")).to_contain_text(ends)
    expect(step(page, "publicity")).to_have_attribute("data-state", "done")
    expect(step(page, "publicity").locator(".badge.amber")).to_have_count(0)
    expect(step(page, "request")).to_have_attribute("data-state", "current")
    notice = page.locator("#publicity p.notice")
    expect(notice).to_contain_text(str(len(story["candidates"])))
    expect(page.locator("form.publicity")).to_have_count(0)
    story["ends"] = ends

    # The PDF: the candidates, in 姓氏笔画 order, and none of the others.
    href = notice.locator("a").get_attribute("href")
    response = page.request.get(f"{server}{href}")
    assert response.ok and response.body().startswith(b"%PDF")
    text = pdf_text(response.body())
    assert "明岗社区党组织" in text and "公示" in text
    places = [text.index(name) for name in sort_names(story["candidates"])]
    assert places == sorted(places), text
    assert not any(name in text for name in story["others"])


# The request and the approval


def test_the_request_and_the_approval_make_the_list_final(login, server):
    page = login("township2")
    page.goto(story["party"])
    # A candidate's page offers the withdrawal while the list is open.
    first = story["candidates"][0]
    navigate(page, page.locator(f"table.chosen tr[data-name='{first}'] td a"))
    story["candidate"] = page.url
    withdraw = page.locator("form.withdraw").get_attribute("action")
    page.goto(story["party"])

    # Not before the 公示 is over, even asked for on a day the form does not offer.
    form = page.locator("form.request")
    day = form.locator("input[name=requested_on]")
    expect(day).to_have_attribute("min", story["ends"])
    day.evaluate("el => el.removeAttribute('min')")
    day.fill((date.fromisoformat(story["ends"]) - timedelta(days=1)).isoformat())
    navigate(page, form.locator("button[type=submit]"))
    expect(error(page)).to_contain_text(story["ends"])
    expect(step(page, "request")).to_have_attribute("data-state", "current")

    form = page.locator("form.request")
    form.locator("input[name=number]").fill("湘龙组请〔2026〕7号")
    navigate(page, form.locator("button[type=submit]"))
    success(page)
    expect(step(page, "request")).to_have_attribute("data-state", "done")
    expect(page.locator("#request")).to_contain_text("湘龙组请〔2026〕7号")
    expect(step(page, "approve")).to_have_attribute("data-state", "current")

    form = page.locator("form.approve")
    form.locator("input[name=number]").fill("湘龙组复〔2026〕7号")
    navigate(page, form.locator("button[type=submit]"))
    success(page)
    expect(page.locator("#messages .success")).to_contain_text(f"{len(story['candidates'])}名")
    for item in page.locator("ol.steps li").all():
        expect(item).to_have_attribute("data-state", "done")
    expect(page.locator("p.sub").first.locator(".badge.green")).to_be_visible()
    expect(page.locator("#approve")).to_contain_text("湘龙组复〔2026〕7号")
    expect(page.locator("#approve .message.success")).to_be_visible()
    # Final: nothing is offered any more, on this page or the candidate's.
    expect(page.locator("main form[action*='/party/']")).to_have_count(0)
    expect(page.locator("form.inspect")).to_have_count(0)
    for name in story["candidates"]:
        expect(page.locator(f"table.ranking tr[data-name='{name}']")).to_have_attribute(
            "data-status", "formal"
        )

    page.goto(story["candidate"])
    expect(page.locator("form.withdraw")).to_have_count(0)
    # A withdrawal sent all the same is refused: the list is final.
    other = page.locator("form.commitment")
    other.evaluate(
        "(f, url) => { f.action = url; f.insertAdjacentHTML('beforeend',"
        " '<input name=reason value=个人原因>'); }",
        withdraw,
    )
    navigate(page, other.locator("button[type=submit]"))
    expect(error(page)).to_contain_text("已确定")
    block = page.locator("section.election[data-body=party_committee]")
    expect(block.locator("h2 .badge.green")).to_be_visible()
    expect(block.locator(f"tr[data-name='{first}']")).to_be_visible()
    expect(block.locator("table.candidates tbody tr[data-name]")).to_have_count(
        len(story["candidates"])
    )
