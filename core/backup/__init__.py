"""Backup and restore (issue 12): `manage.py backup` and `manage.py restore`. README: "Backup,
restore and the recovery drill"."""

from core.backup.archive import BackupError, BackupResult, RestoreRefused, RestoreResult, create_backup, restore_backup

__all__ = ["BackupError", "BackupResult", "RestoreRefused", "RestoreResult", "create_backup", "restore_backup"]
