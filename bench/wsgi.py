"""portal.wsgi with the bare baseline view added to the URL map (see bench/urls.py)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

from django.conf import settings  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
settings.ROOT_URLCONF = "bench.urls"
# wrk sends every request from one address: the API's public reads still count it (the
# cost stays in the figure) but never answer 429, which would measure the limit instead.
settings.RATE_LIMITS = {**getattr(settings, "RATE_LIMITS", {}), "api_public_reads": "100000000/m"}
