"""The rules core: the law and the seed's rule profile as plain Python (DOMAIN §1–§12).

Nothing here imports Django, so the rules can be tested without a database and the
command-line tools that only need them (``names sort``, ``id check``) start quickly.
"""
