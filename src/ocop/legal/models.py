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
