from hypothesis import given
from hypothesis import strategies as st

from huanjie.audit import chain

contents = st.lists(
    st.dictionaries(st.sampled_from(["a", "b", "名"]), st.integers() | st.text(), max_size=3),
    min_size=1,
    max_size=8,
)


def build(items):
    rows, previous = [], chain.GENESIS
    for seq, content in enumerate(items, start=1):
        h = chain.link(previous, content)
        rows.append((seq, previous, h, content))
        previous = h
    return rows


@given(contents)
def test_an_untouched_chain_verifies(items):
    assert chain.first_break(build(items)) is None


@given(contents, st.data())
def test_changing_any_record_is_found_at_that_record(items, data):
    rows = build(items)
    i = data.draw(st.integers(0, len(rows) - 1))
    seq, previous, h, content = rows[i]
    rows[i] = (seq, previous, h, {**content, "tampered": True})
    assert chain.first_break(rows) == chain.Break(seq, "hash")


@given(contents.filter(lambda items: len(items) >= 2), st.data())
def test_removing_a_record_is_found_at_the_next_one(items, data):
    rows = build(items)
    i = data.draw(st.integers(0, len(rows) - 2))
    del rows[i]
    assert chain.first_break(rows) == chain.Break(rows[i][0], "previous_hash")


def test_canonical_form_ignores_key_order():
    assert chain.canonical({"b": 1, "a": "选"}) == chain.canonical({"a": "选", "b": 1})
    assert chain.canonical({"a": "选"}) == '{"a":"选"}'.encode()
