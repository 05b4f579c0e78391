"""Legal bases (căn cứ pháp lý) that version every OCOP rule: taxonomy, criteria sheets, bands.

Records made under an earlier decision keep pointing at it (domain brief §8: "store legal_basis on
every evaluation, decision and certificate"), so the rows are reference data loaded from
``legal/data/legal_bases.json`` and never deleted.
"""

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import BaseModel
from ocop.legal.enums import LegalBasisKind


class LegalBasis(BaseModel):
    """A decision that governs OCOP evaluation (e.g. 26/2026/QĐ-TTg) or amends one (1489/QĐ-TTg).

    ``effective_to`` is the last day it governs *new* evaluations (148/QĐ-TTg lapsed about
    21/07/2026, 26/2026 Art. 11); certificates issued under it stay valid until they expire.
    """

    code = models.CharField(_("number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=LegalBasisKind.choices)
    short_name = models.CharField(_("short name"), max_length=60)
    title = models.CharField(_("title"), max_length=400)
    signed_on = models.DateField(_("signed on"))
    effective_from = models.DateField(_("effective from"))
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    parameters = models.JSONField(
        _("rule parameters"),
        default=dict,
        blank=True,
        help_text=_("Values read by the rules of this decision, e.g. certificate_validity_months."),
    )
    amends = models.ForeignKey(
        "self",
        verbose_name=_("amends"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
    )

    class Meta:
        ordering = ["-effective_from", "code"]
        verbose_name = _("legal basis")
        verbose_name_plural = _("legal bases")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=models.F("effective_from")),
                name="legal_legalbasis_period_order",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.short_name

    def is_in_force_on(self, day: dt.date) -> bool:
        return self.effective_from <= day and (self.effective_to is None or day <= self.effective_to)

    def parameter(self, name: str, default=None):
        return self.parameters.get(name, default)


class WorkdayOverride(BaseModel):
    """A day off or a working day (ngày nghỉ/làm việc bù) that the ``holidays`` library does not know.

    The working-day calendar (``legal.workdays``) takes weekends and public holidays, swaps
    announced by the government included, from the library; a row here has the last word on its
    date, e.g. a swap decided by a province or a ministry. Deadlines counted in working days
    (commune review within 15 working days, 26/2026/QĐ-TTg Art. 7.2) read it through
    ``legal.selectors.working_calendar()``.

    Rows from ``legal/data/workday_overrides.json`` have ``is_from_data_file`` set: the loader
    updates and deletes them to match the file. Rows added in the admin are kept.
    """

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(
        _("working day"),
        help_text=_("Ticked: a working day (e.g. a Saturday worked in exchange); not ticked: a day off."),
    )
    reason = models.CharField(
        _("reason"),
        max_length=200,
        help_text=_("Shown to users as the reason of a day off, in Vietnamese."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("The decision or notice that moved the day, e.g. its number and date."),
    )
    is_from_data_file = models.BooleanField(
        _("from the data file"),
        default=False,
        editable=False,
        help_text=_("Loaded from legal/data/workday_overrides.json; the next load overwrites or removes it."),
    )

    class Meta:
        ordering = ["date"]
        verbose_name = _("working day override")
        verbose_name_plural = _("working day overrides")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.reason}"
