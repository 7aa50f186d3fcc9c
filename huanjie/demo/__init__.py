"""The demo county: a generated, realistic county to try the application on.

:mod:`.county` makes it as plain data (no database, no Django), so it can be generated
and checked quickly and the same seed always gives the same county; :mod:`.load`
writes it into the database together with a cycle under way.
"""
