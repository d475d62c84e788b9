"""config.wsgi, as a gunicorn worker loads it."""

import subprocess
import sys


def test_the_server_s_start_freezes_what_it_loaded_out_of_the_collector_s_sight():
    # In a process of its own: freezing is for the server's lifetime, not the test run's.
    script = "import gc, config.wsgi; print(gc.get_freeze_count())"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert int(result.stdout.strip().splitlines()[-1]) > 10_000, result.stderr
