from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """A date that breaks the Monday-to-Friday rule: a statutory holiday or a make-up workday (调休)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Make-up workday")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("holiday and workday calendar")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose holidays and make-up workdays are all in the CalendarDay table.

    Working days are known only through the last complete year: a count that reaches past
    31 December of it falls back on Monday to Friday (natural days), and the first such count
    claims `reached_past_at` on that last year, so the office is warned once per table end
    (core.services.calendar). A later year loaded starts with the claim free again.
    """

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinese-calendar package")
        ADMIN = "admin", _("Entered by hand")

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.ADMIN)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    reached_past_at = models.DateTimeField(_("first counted past at"), null=True, blank=True)
    reached_past_date = models.DateField(_("first date past the table"), null=True, blank=True)

    class Meta:
        verbose_name = _("complete calendar year")
        verbose_name_plural = _("complete calendar years")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__gte=1949, year__lte=2200),
                name="calendaryear_year_range",
                violation_error_message=_("The year must be between 1949 and 2200."),
            )
        ]

    def __str__(self) -> str:
        return str(self.year)

    @property
    def last_day(self) -> date:
        return date(self.year, 12, 31)
