"""A worker process that dies in the middle of one delivery (tests/core/test_delivery.py).

    python -m tests.core.delivery_worker DB_NAME DELIVERY_ID STEP

Opens the test database the calling test uses (on SQLite a file: config/settings.py gives
the test database a file name), runs core.delivery.deliver for the row and, when the
delivery reaches STEP (a step's name, or "done": just before commit), ends the process with
os._exit(1): no exception handler, no rollback from Python, the connection simply drops.
"""

import os
import sys


def main() -> None:
    db_name, delivery_id, fatal_step = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict["NAME"] = db_name  # before the first query opens the connection

    from core import delivery

    def die(label: str, step: str) -> None:
        if step == fatal_step:
            os._exit(1)

    delivery.before_step = die
    delivery.deliver(delivery_id)
    sys.exit(0)  # the step was never reached: the test fails on the exit code


if __name__ == "__main__":
    main()
