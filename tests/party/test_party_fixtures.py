from huanjie.polling import polls


def test_the_members_meeting_votes_on_one_list_of_committee_members(final_list, party_election):
    offices, people = polls.slate_of(party_election)
    assert offices == [{"id": "member", "title": "委员", "seats": 3}]
    assert [p["name"] for p in people] == ["丁一", "王芳", "刘伟", "吴丽"]
    assert {p["office"] for p in people} == {"member"}
