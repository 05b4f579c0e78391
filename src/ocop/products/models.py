"""OCOP products (sản phẩm OCOP) and their classification, codes, photos and star history.

* :class:`ProductCategory` — the official taxonomy **per legal basis** (26/2026 Annex I, the
  identical 148/2023 list, the 1048/2019 sectors); :class:`ProductClassification` stores a
  product's category under each basis (never guessed).
* :class:`Product` — with its code ``T-X-STT-YYYY`` (or a parsed legacy code) and current stars.
* :class:`ProductCodeCounter` — the per-commune sequence behind new codes (locked row).
* :class:`StarRecord` — append-only star history, filled by evaluation/certification.
* :class:`ProductPhoto` — photos with generated thumbnails in private storage.
"""

import secrets
from pathlib import PurePath

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.core.models import BaseModel
from ocop.core.scope import Scope
from ocop.products.enums import CategoryLevel, ProductCodeFormat, StarSource


class ProductCategory(BaseModel):
    """A node of the product taxonomy under one legal basis (ngành / nhóm / bộ sản phẩm).

    ``is_assignable`` marks the nodes a product can be classified in: the 26 product sets of
    26/2026 and 148 (each with the criteria ``sheet_number``), or a 1048 sector. Loaded from
    ``products/data/taxonomy.json``.
    """

    legal_basis = models.ForeignKey(
        "legal.LegalBasis", verbose_name=_("legal basis"), on_delete=models.PROTECT, related_name="product_categories"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    level = models.CharField(_("level"), max_length=10, choices=CategoryLevel.choices)
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=300)
    name_folded = models.CharField(_("search name"), max_length=300, editable=False)
    sheet_number = models.PositiveSmallIntegerField(_("criteria sheet number"), null=True, blank=True)
    ministries = models.JSONField(_("managing ministries"), default=list, blank=True)
    is_assignable = models.BooleanField(_("products can be classified here"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["legal_basis", "position"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
        constraints = [
            models.UniqueConstraint(fields=["legal_basis", "code"], name="products_category_unique_code"),
            models.UniqueConstraint(
                fields=["legal_basis", "sheet_number"],
                condition=models.Q(sheet_number__isnull=False),
                name="products_category_unique_sheet",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def sector(self) -> "ProductCategory":
        node = self
        while node.parent_id is not None:
            node = node.parent
        return node


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
    code_format = models.CharField(
        _("code format"), max_length=10, choices=ProductCodeFormat.choices, blank=True, editable=False
    )
    code_province = models.CharField(_("code: province"), max_length=2, blank=True, editable=False)
    code_district = models.CharField(_("code: district"), max_length=3, blank=True, editable=False)
    code_commune = models.CharField(_("code: commune"), max_length=5, blank=True, editable=False)
    code_sequence = models.PositiveIntegerField(_("code: sequence"), null=True, blank=True, editable=False)
    code_year = models.PositiveSmallIntegerField(_("code: year"), null=True, blank=True, editable=False)
    description = models.TextField(_("description"), blank=True)
    story = models.TextField(_("product story"), blank=True)
    specification = models.TextField(_("specification"), blank=True)
    packaging = models.CharField(_("packaging"), max_length=255, blank=True)
    shelf_life = models.CharField(_("shelf life"), max_length=100, blank=True)
    quality_standard = models.CharField(_("quality standard applied"), max_length=255, blank=True)
    current_stars = models.PositiveSmallIntegerField(
        _("current stars"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Written only by products.services.refresh_current_stars from the star history."),
    )
    current_stars_valid_until = models.DateField(_("stars valid until"), null=True, blank=True, editable=False)
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
            ),
            models.CheckConstraint(
                condition=models.Q(current_stars__isnull=True)
                | (models.Q(current_stars__gte=1) & models.Q(current_stars__lte=5)),
                name="products_product_stars_range",
            ),
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


class ProductClassification(BaseModel):
    """A product's category under one legal basis (phân loại sản phẩm theo căn cứ pháp lý).

    One row per product and basis; ``category`` must belong to ``legal_basis`` and be assignable
    (checked in ``products.validators``).
    """

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="classifications"
    )
    legal_basis = models.ForeignKey(
        "legal.LegalBasis", verbose_name=_("legal basis"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        ProductCategory, verbose_name=_("product set"), on_delete=models.PROTECT, related_name="classifications"
    )

    class Meta:
        ordering = ["product", "-legal_basis__effective_from"]
        verbose_name = _("product classification")
        verbose_name_plural = _("product classifications")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "legal_basis"],
                name="products_classification_one_per_basis",
                violation_error_message=_("The product is already classified under this legal basis."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.category}"


class ProductCodeCounter(BaseModel):
    """The last sequence number (STT) used for product codes in one commune.

    Locked with ``select_for_update`` by ``products.services.assign_product_code``; the unique
    constraint on ``Product.code`` is the final guard.
    """

    commune = models.OneToOneField(
        "geography.AdminUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="product_code_counter"
    )
    last_sequence = models.PositiveIntegerField(_("last sequence"), default=0)

    class Meta:
        ordering = ["commune"]
        verbose_name = _("product code counter")
        verbose_name_plural = _("product code counters")

    def __str__(self) -> str:
        return f"{self.commune}: {self.last_sequence}"


class StarRecord(BaseModel):
    """One star ranking of a product (lịch sử hạng sao): append-only.

    Filled by evaluation and certification (later modules) and by imports of legacy decisions.
    ``Product.current_stars`` is derived from these rows by ``refresh_current_stars``.
    """

    product = models.ForeignKey(
        Product, verbose_name=_("product"), on_delete=models.PROTECT, related_name="star_records"
    )
    legal_basis = models.ForeignKey(
        "legal.LegalBasis",
        verbose_name=_("legal basis"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    stars = models.PositiveSmallIntegerField(_("stars"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_part_a = models.DecimalField(_("part A score"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_part_b = models.DecimalField(_("part B score"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_part_c = models.DecimalField(_("part C score"), max_digits=5, decimal_places=2, null=True, blank=True)
    recognised_on = models.DateField(_("recognised on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=100, blank=True)
    decision_authority = models.CharField(_("recognised by"), max_length=255, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=StarSource.choices, default=StarSource.MANUAL)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["product", "-recognised_on", "-pk"]
        verbose_name = _("star record")
        verbose_name_plural = _("star history")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stars__gte=1) & models.Q(stars__lte=5),
                name="products_starrecord_stars_range",
                violation_error_message=_("Stars must be between 1 and 5."),
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gt=models.F("recognised_on")),
                name="products_starrecord_validity_order",
                violation_error_message=_("The expiry date must be after the recognition date."),
            ),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | (models.Q(score__gte=0) & models.Q(score__lte=100)),
                name="products_starrecord_score_range",
                violation_error_message=_("The score must be between 0 and 100."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product}: {self.stars}★ ({self.recognised_on:%d/%m/%Y})"


def photo_upload_path(instance: "ProductPhoto", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"products/{instance.product_id}/photos/{secrets.token_hex(16)}{suffix}"


class ProductPhoto(BaseModel):
    """A product photo and its generated thumbnail (ảnh sản phẩm); private storage.

    ``thumbnail``, ``width`` and ``height`` are written by ``products.services.add_product_photo``.
    """

    product = models.ForeignKey(Product, verbose_name=_("product"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to=photo_upload_path, max_length=255)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=photo_upload_path, max_length=255, editable=False)
    caption = models.CharField(_("caption"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)

    class Meta:
        ordering = ["product", "position", "pk"]
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")

    def __str__(self) -> str:
        return self.caption or f"{self.product} #{self.position}"
