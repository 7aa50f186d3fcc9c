"""The WSGI application, as ``huanjie serve`` runs it (or any WSGI server).

What Django loads at the start — the modules, models, URLs, templates, translations,
hundreds of thousands of objects — lives as long as the process. Python's collector
would walk all of them at each full collection, and a page that builds many objects (a
county's statistics) sets off several: ``gc.freeze()`` moves them out of its way once
they are loaded.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huanjie.settings")
application = get_wsgi_application()


def settle() -> None:
    """Load the URLs (and with them every view, form and API schema), then set what is
    loaded aside from the collector."""
    from django.urls import get_resolver

    get_resolver().reverse_dict  # noqa: B018 (imports every view to map the URLs)
    gc.collect()
    gc.freeze()


settle()
