"""Test data of the party tests (imported by name: test module basenames are unique)."""

#: 金茶村's residents: name, sex, birth year.
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
    ("黄涛", "M", 1972),
)

#: Everyone but 黄涛 is a member of 金茶村党支部; 许静 is probationary
#: and 李军 under probation sanction, so ten members have a vote.
PROBATIONARY = "许静"
SANCTIONED = "李军"
NOT_MEMBERS = ("黄涛",)

#: The party committee: 1 书记, 1 副书记, 1 委员 — three seats, so four candidates.
CANDIDATES = {"secretary": ("丁一",), "deputy_secretary": ("王芳",), "member": ("刘伟", "吴丽")}
