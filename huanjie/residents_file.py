"""The residents file of CONTRACTS §3: its columns and the values its cells take.

The batch command (``huanjie roll build``), the import into a cycle and the generator
of test files all read or write this one layout, so it is written down once.
"""

import re
from datetime import date

from huanjie.rules.eligibility import Intent

#: The columns, by what they mean; a file has them all, in any order.
COLUMNS = {
    "name": "姓名",
    "id_number": "公民身份号码",
    "household": "户籍地代码",
    "residence": "居住地代码",
    "lives_since": "居住起始日期",
    "deprived": "剥夺政治权利",
    "incapacitated": "无法行使选举权",
    "intent": "参选意愿",
    "approved": "会议同意",
    "staff_of": "专职工作社区",
}

#: 是 / 否 / empty (= 否).
YES_NO = {"是": True, "否": False, "": False}

#: 参加 / 不参加 / 联系不上 / empty.
INTENTS = {intent.value: intent for intent in Intent}

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def iso_date(text: str) -> date | None:
    """A date written exactly YYYY-MM-DD, as 居住起始日期 is; ``None`` otherwise. Python's
    own parser also takes 20200101 and week dates, which a clerk would not mean."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
