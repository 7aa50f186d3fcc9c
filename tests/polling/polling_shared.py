"""Data the polling tests share, imported by name (``from polling_shared import …``):
a module called conftest would be ambiguous across the test folders."""

#: 金茶村's voters: (name, sex, birth year). 王芳 is 王强's wife; 石磊 is 张勇's father.
PEOPLE = (
    ("丁一", "M", 1975),
    ("王芳", "F", 1988),
    ("王强", "M", 1990),
    ("方敏", "F", 1992),
    ("石磊", "M", 1965),
    ("朱红", "F", 1970),
    ("刘伟", "M", 1985),
    ("许静", "F", 1995),
    ("李军", "M", 1980),
    ("吴丽", "F", 1983),
    ("张勇", "M", 1978),
    ("陈霞", "F", 1960),
)

#: The formal candidates: office → names. Director 刘伟 and 王芳; members 方敏, 李军,
#: 吴丽 for two seats.
SLATE = {"director": ("刘伟", "王芳"), "member": ("方敏", "李军", "吴丽")}


def type_in(user, poll, counter, lines, start=1):
    """Enter ``lines`` as typed at the counter's page, numbered from ``start``."""
    from huanjie.polling import counting

    keys = counting.keyboard(poll)
    for number, line in enumerate(lines, start):
        counting.enter(user, poll, counter, number, keys.parse(line))


def ids(poll):
    """The slate ids of the poll's candidates by name."""
    return {c["name"]: c["id"] for c in poll.candidates}
