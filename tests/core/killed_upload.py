"""An upload killed before its transaction commits (tests/core/test_file_integrity.py).

    python -m tests.core.killed_upload DB_NAME USER_ID

Stores a file as every upload service does, core.files.store_upload inside the service's
transaction, then ends the process with os._exit(1) before the commit: the database drops the
row with the connection, the bytes stay in private storage (DJANGO_PRIVATE_MEDIA_ROOT) as an
orphan, which is what a killed import leaves.
"""

import io
import os
import sys


def main() -> None:
    db_name, user_id = sys.argv[1], int(sys.argv[2])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    connection.settings_dict["NAME"] = db_name  # before the first query opens the connection

    from core.files import store_upload
    from core.models import User

    with transaction.atomic():
        store_upload(
            upload=io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
            name="killed.pdf",
            uploaded_by=User.objects.get(pk=user_id),
            allowed_kinds={"pdf"},
            sealed=True,
        )
        os._exit(1)


if __name__ == "__main__":
    main()
