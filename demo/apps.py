from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The 示范区 demo data and `manage.py seed_demo`: above every domain app, made through their services."""

    name = "demo"
    verbose_name = _("Demo data")
