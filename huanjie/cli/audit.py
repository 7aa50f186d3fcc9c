"""``huanjie audit verify``: check the hash chain of the audit trail."""

import os


def run(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huanjie.settings")
    import django

    django.setup()
    from huanjie.audit.models import Record
    from huanjie.audit.trail import verify

    broken = verify()
    total = Record.objects.count()
    if broken is None:
        print(f"audit trail intact: {total} records")
        return 0
    why = {
        "hash": "its content does not match its hash (changed after it was written)",
        "previous_hash": "it does not follow the record before it (a record was removed "
        "or reordered)",
    }[broken.problem]
    print(f"audit trail broken at record {broken.seq}: {why}")
    return 1
