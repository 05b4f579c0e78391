"""Producers (chủ thể OCOP), 26/2026/QĐ-TTg Art. 2.3.

The foundation keeps the fields every later module needs (identity, legal form, location and
scope); the registry issue extends it (size class, representative, labour, evidence vault).
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.core.models import BaseModel
from ocop.core.scope import Scope
from ocop.producers.enums import LegalForm


class Producer(BaseModel):
    """A producer taking part in OCOP (chủ thể OCOP).

    ``address_unit`` is the unit as recorded (it may belong to the pre-2025 map); ``province`` and
    ``commune`` are today's units it rolls up to, written by ``producers.services`` and used for
    permission scoping. ``name_folded`` is the diacritics-free search form.
    """

    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(_("search name"), max_length=255, editable=False, db_index=True)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True)
    representative_name = models.CharField(_("legal representative"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    address_unit = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("administrative unit (as recorded)"),
        on_delete=models.PROTECT,
        related_name="recorded_producers",
    )
    province = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("province (today)"),
        on_delete=models.PROTECT,
        related_name="province_producers",
        editable=False,
    )
    commune = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("commune (today)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commune_producers",
        editable=False,
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name_folded", "pk"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")
        constraints = [
            models.UniqueConstraint(
                fields=["tax_code"],
                condition=~models.Q(tax_code=""),
                name="producers_producer_unique_tax_code",
                violation_error_message=_("A producer with this tax code already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("producers:producer_detail", kwargs={"pk": self.pk})

    @property
    def scope(self) -> Scope:
        return Scope(province_id=self.province_id, commune_id=self.commune_id, producer_id=self.pk)
