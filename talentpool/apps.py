from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentpoolConfig(AppConfig):
    name = "talentpool"
    verbose_name = _("Talent pools")
