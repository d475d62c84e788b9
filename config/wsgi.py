import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# What the worker has loaded lives as long as it does: frozen, a full garbage collection no longer
# walks it. Issue 16 at a million clues: one request in ten or twenty took 100 ms more, all of it
# the collector walking ~120,000 long-lived objects (the office head's registry ?status=: p95
# 113 -> 54 ms, p50 38 -> 37 ms; tests/bench/test_pages_bench.py measures in this state).
gc.freeze()
