"""OCOP products (sản phẩm OCOP).

The foundation keeps identity, producer, code and the date/unit a record was made in; the
registry issue adds taxonomy, code allocation, photos and star history.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.core.models import BaseModel
from ocop.core.scope import Scope


class Product(BaseModel):
    """A product of a producer (sản phẩm OCOP).

    ``code`` is the official product code: ``T-X-STT-YYYY`` since 2025 (26/2026 Annex II header),
    or a legacy code with a district segment (``83-829-28780-3-2022``). ``recorded_unit`` and
    ``recorded_on`` say where and when the record was made, on the map in force then.
    """

    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(_("search name"), max_length=255, editable=False, db_index=True)
    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="products"
    )
    code = models.CharField(_("product code"), max_length=40, blank=True)
    description = models.TextField(_("description"), blank=True)
    recorded_unit = models.ForeignKey(
        "geography.AdminUnit",
        verbose_name=_("administrative unit (as recorded)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_products",
    )
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)

    class Meta:
        ordering = ["name_folded", "pk"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="products_product_unique_code",
                violation_error_message=_("A product with this code already exists."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("products:product_detail", kwargs={"pk": self.pk})

    @property
    def scope(self) -> Scope:
        return Scope(
            province_id=self.producer.province_id, commune_id=self.producer.commune_id, producer_id=self.producer_id
        )
