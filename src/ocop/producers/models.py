"""Producers (chủ thể OCOP), 26/2026/QĐ-TTg Art. 2.3, and what the registry keeps about them.

* :class:`Producer` — identity, legal form, representative, location (dated admin map), labour,
  cooperative data and the derived enterprise size class (Decree 80/2021/NĐ-CP Art. 5).
* :class:`LegalFormPeriod` — legal form history (a household that becomes a cooperative keeps
  its past).
* :class:`FinancialYear` — yearly revenue, profit, capital and average insured labour.
* :class:`ProducerDocument` + :class:`DocumentType` — the evidence vault (certificates, IP,
  registrations, declarations, test reports) reused by dossiers later.
* :class:`Ethnicity` (54 official groups) and :class:`EnterpriseSizeThreshold` — reference data.
"""

import datetime as dt
import secrets
from pathlib import PurePath

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.models import BaseModel, LookupModel
from ocop.core.scope import Scope
from ocop.producers.enums import CooperativeRating, DocumentCategory, ExpiryStatus, Gender, LegalForm
from ocop.producers.sizing import EconomicSector, SizeClass
from ocop.producers.validators import (
    validate_labour,
    validate_phone,
    validate_registration_number,
    validate_tax_code,
)


class Ethnicity(LookupModel):
    """One of Vietnam's 54 ethnic groups (dân tộc), with the official two-digit code (121-TCTK/PPCĐ)."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    other_names = models.CharField(_("other names"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("ethnicity")
        verbose_name_plural = _("ethnicities")


class EnterpriseSizeThreshold(BaseModel):
    """One row of the SME size table (Decree 80/2021/NĐ-CP Art. 5) as dated reference data.

    Insured labour is a hard ceiling; revenue OR capital (either suffices). Loaded from
    ``producers/data/sme_size_classes.json``; a future decree adds rows with a new period.
    """

    legal_reference = models.CharField(_("legal reference"), max_length=120)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=30, choices=EconomicSector.choices)
    size_class = models.CharField(_("size class"), max_length=20, choices=SizeClass.choices)
    max_insured_labour = models.PositiveIntegerField(_("maximum insured workers"))
    max_revenue = models.BigIntegerField(_("maximum revenue (VND)"))
    max_capital = models.BigIntegerField(_("maximum total capital (VND)"))

    class Meta:
        ordering = ["-valid_from", "sector", "max_insured_labour"]
        verbose_name = _("enterprise size threshold")
        verbose_name_plural = _("enterprise size thresholds")
        constraints = [
            models.UniqueConstraint(
                fields=["valid_from", "sector", "size_class"], name="producers_sizethreshold_unique_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.legal_reference}: {self.get_sector_display()} / {self.get_size_class_display()}"


class DocumentType(LookupModel):
    """A kind of evidence document (e.g. VietGAP certificate, trademark registration).

    ``warn_days_before_expiry`` is data (90 by default), not a constant in code.
    """

    category = models.CharField(_("category"), max_length=30, choices=DocumentCategory.choices)
    has_expiry = models.BooleanField(_("has an expiry date"), default=False)
    warn_days_before_expiry = models.PositiveSmallIntegerField(_("warn days before expiry"), default=90)
    legal_reference = models.CharField(_("legal reference"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["category", "position", "name"]
        verbose_name = _("document type")
        verbose_name_plural = _("document types")


class Producer(BaseModel):
    """A producer taking part in OCOP (chủ thể OCOP).

    ``address_unit`` is the unit as recorded (it may belong to the pre-2025 map); ``province`` and
    ``commune`` are today's units it rolls up to, written by ``producers.services`` and used for
    permission scoping. ``name_folded`` is the diacritics-free search form.
    """

    name = models.CharField(_("name"), max_length=255)
    name_folded = models.CharField(_("search name"), max_length=255, editable=False, db_index=True)
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    tax_code = models.CharField(_("tax code"), max_length=20, blank=True, validators=[validate_tax_code])
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
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    social_url = models.URLField(_("social media page"), blank=True)

    registration_number = models.CharField(
        _("registration number"), max_length=30, blank=True, validators=[validate_registration_number]
    )
    registration_issued_on = models.DateField(_("registration date"), null=True, blank=True)
    registration_issuer = models.CharField(_("registration authority"), max_length=255, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    main_sector = models.CharField(_("main business sector"), max_length=30, choices=EconomicSector.choices, blank=True)

    representative_position = models.CharField(_("representative's position"), max_length=100, blank=True)
    representative_gender = models.CharField(
        _("representative's gender"), max_length=10, choices=Gender.choices, blank=True
    )
    representative_ethnicity = models.ForeignKey(
        Ethnicity,
        verbose_name=_("representative's ethnicity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="producers",
    )
    representative_has_disability = models.BooleanField(_("representative has a disability"), default=False)

    labour_total = models.PositiveIntegerField(_("total workers"), null=True, blank=True)
    labour_local = models.PositiveIntegerField(_("local workers"), null=True, blank=True)
    labour_insured = models.PositiveIntegerField(_("workers with social insurance"), null=True, blank=True)
    member_count = models.PositiveIntegerField(_("members"), null=True, blank=True)
    cooperative_rating = models.CharField(
        _("cooperative classification"), max_length=10, choices=CooperativeRating.choices, blank=True
    )
    cooperative_rated_year = models.PositiveSmallIntegerField(_("classification year"), null=True, blank=True)

    size_class = models.CharField(
        _("size class"),
        max_length=20,
        choices=SizeClass.choices,
        blank=True,
        editable=False,
        help_text=_("Derived by producers.services from labour, revenue and capital; never typed."),
    )
    size_class_reason = models.CharField(_("size class reason"), max_length=300, blank=True, editable=False)

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
            ),
            models.UniqueConstraint(
                Lower("registration_number"),
                condition=~models.Q(registration_number=""),
                name="producers_producer_unique_registration",
                violation_error_message=_("A producer with this registration number already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(labour_local__isnull=True)
                | models.Q(labour_total__isnull=True)
                | models.Q(labour_local__lte=models.F("labour_total")),
                name="producers_producer_local_labour_within_total",
                violation_error_message=_("Local workers cannot outnumber the total workers."),
            ),
            models.CheckConstraint(
                condition=models.Q(labour_insured__isnull=True)
                | models.Q(labour_total__isnull=True)
                | models.Q(labour_insured__lte=models.F("labour_total")),
                name="producers_producer_insured_labour_within_total",
                violation_error_message=_("Insured workers cannot outnumber the total workers."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("producers:producer_detail", kwargs={"pk": self.pk})

    @property
    def scope(self) -> Scope:
        return Scope(province_id=self.province_id, commune_id=self.commune_id, producer_id=self.pk)

    def clean(self) -> None:
        validate_labour(
            self.labour_total,
            self.labour_local,
            self.labour_insured,
            field_names=("labour_total", "labour_local", "labour_insured"),
        )

    @property
    def is_eligible_size(self) -> bool:
        """Large enterprises are not OCOP producers (26/2026 Art. 2.3 names SMEs only)."""
        return self.size_class != SizeClass.LARGE


class LegalFormPeriod(BaseModel):
    """A period during which a producer had one legal form (lịch sử loại hình chủ thể).

    Periods are half-open ``[valid_from, valid_to)``; the current one has ``valid_to`` empty.
    Written only by ``producers.services.change_legal_form`` and ``create_producer``.
    """

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="legal_form_periods"
    )
    legal_form = models.CharField(_("legal form"), max_length=30, choices=LegalForm.choices)
    name = models.CharField(_("name at the time"), max_length=255)
    registration_number = models.CharField(_("registration number"), max_length=30, blank=True)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["producer", "-valid_from", "-pk"]
        verbose_name = _("legal form period")
        verbose_name_plural = _("legal form history")
        constraints = [
            models.UniqueConstraint(
                fields=["producer"], condition=models.Q(valid_to__isnull=True), name="producers_one_open_legal_form"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="producers_legalformperiod_order",
                violation_error_message=_("The end date must be after the start date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_legal_form_display()})"


class FinancialYear(BaseModel):
    """A producer's figures for one calendar year (doanh thu, lợi nhuận, nguồn vốn, lao động BHXH).

    The latest year feeds the size class (Decree 80/2021 uses the previous year's figures).
    """

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.CASCADE, related_name="financial_years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    revenue = models.BigIntegerField(_("revenue (VND)"), null=True, blank=True)
    profit = models.BigIntegerField(_("profit (VND)"), null=True, blank=True)
    total_capital = models.BigIntegerField(_("total capital (VND)"), null=True, blank=True)
    average_insured_labour = models.PositiveIntegerField(_("average insured workers"), null=True, blank=True)

    class Meta:
        ordering = ["producer", "-year"]
        verbose_name = _("financial year")
        verbose_name_plural = _("financial years")
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "year"],
                name="producers_financialyear_unique_year",
                violation_error_message=_("Figures for this year already exist."),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1990) & models.Q(year__lte=2100),
                name="producers_financialyear_year_range",
                violation_error_message=_("The year must be between 1990 and 2100."),
            ),
            models.CheckConstraint(
                condition=models.Q(revenue__isnull=True) | models.Q(revenue__gte=0),
                name="producers_financialyear_revenue_not_negative",
                violation_error_message=_("Revenue cannot be negative."),
            ),
            models.CheckConstraint(
                condition=models.Q(total_capital__isnull=True) | models.Q(total_capital__gte=0),
                name="producers_financialyear_capital_not_negative",
                violation_error_message=_("Capital cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.producer} – {self.year}"


def document_upload_path(instance: "ProducerDocument", filename: str) -> str:
    """Private path with a random part so names cannot be guessed (pretalx ``hashed_path``)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"producers/{instance.producer_id}/documents/{secrets.token_hex(16)}{suffix}"


class ProducerDocument(BaseModel):
    """An evidence document in a producer's vault (hồ sơ minh chứng): type, number, issuer, dates, file.

    Documents with an expiry date are flagged ``expiring`` from ``warn_days_before_expiry`` days
    before it (90 by default). ``product`` is set when the document concerns one product (e.g.
    a test report). Files live in private storage and are served by a permission-checked view.
    """

    producer = models.ForeignKey(
        Producer, verbose_name=_("producer"), on_delete=models.PROTECT, related_name="documents"
    )
    document_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT, related_name="documents"
    )
    product = models.ForeignKey(
        "products.Product",
        verbose_name=_("product"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=255, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_path, max_length=255, blank=True)
    original_filename = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True, editable=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["producer", "valid_until", "-issued_on", "pk"]
        verbose_name = _("evidence document")
        verbose_name_plural = _("evidence documents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(issued_on__isnull=True)
                | models.Q(valid_until__gte=models.F("issued_on")),
                name="producers_document_validity_order",
                violation_error_message=_("The expiry date must not be before the issue date."),
            )
        ]

    def __str__(self) -> str:
        label = str(self.document_type)
        return f"{label} {self.number}".strip()

    def expiry_status(self, today: dt.date | None = None) -> str:
        if self.valid_until is None:
            return ExpiryStatus.NO_EXPIRY
        today = today or timezone.localdate()
        if self.valid_until < today:
            return ExpiryStatus.EXPIRED
        if (self.valid_until - today).days <= self.document_type.warn_days_before_expiry:
            return ExpiryStatus.EXPIRING
        return ExpiryStatus.VALID

    @property
    def status(self) -> ExpiryStatus:
        return ExpiryStatus(self.expiry_status())
