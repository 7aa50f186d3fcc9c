"""Data the candidates tests share, imported by name (``from candidates_shared import
…``): a module called conftest would be ambiguous across the test folders."""

from django.utils import timezone


def today():
    return timezone.localdate()


#: (name, members' votes, public votes), 35 members and 50 of the public taking part.
#: By total: 刘伟 70, 方敏 63, 王芳 55, 吴丽 50, 黄涛 45, 丁一 43, 许静 40, 李军 33 —
#: 李军 has more members' votes than 许静 but fewer in all.
ROWS = [
    ("刘伟", 30, 40),
    ("方敏", 28, 35),
    ("王芳", 25, 30),
    ("吴丽", 22, 28),
    ("黄涛", 20, 25),
    ("丁一", 18, 25),
    ("李军", 25, 8),
    ("许静", 10, 30),
]
TOP_SIX = ["刘伟", "方敏", "王芳", "吴丽", "黄涛", "丁一"]
