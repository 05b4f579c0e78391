"""Administrative geography, dated (đơn vị hành chính).

Two official maps coexist:

* the pre-reform three-level map (63 provinces → 696 districts → 10,051 communes; codes of
  QĐ 124/2004/QĐ-TTg as amended), valid until 30/06/2025;
* the two-level map of QĐ 19/2025/QĐ-TTg (34 provinces → 3,321 communes/wards/special zones),
  valid from 01/07/2025 (NQ 202/2025/QH15).

Codes repeat across levels (province 4 and ward 4) and across maps, so a unit is keyed by
(code set, level, code). :class:`AdminUnitSuccession` links every old unit to the unit(s) that
replaced it, so that a record dated 2022 keeps its original unit and still rolls up to today's.
"""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.models import BaseModel
from ocop.core.scope import Scope
from ocop.geography.enums import DivisionType, UnitLevel


class AdminCodeSet(BaseModel):
    """A dated edition of the official unit list (danh mục mã số đơn vị hành chính).

    Legal basis: QĐ 124/2004/QĐ-TTg (legacy list) and QĐ 19/2025/QĐ-TTg (current list).
    """

    slug = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("data source"), max_length=200, blank=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("administrative code set")
        verbose_name_plural = _("administrative code sets")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="geography_codeset_valid_range",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class AdminUnitQuerySet(models.QuerySet):
    def valid_on(self, day):
        """Units in force on ``day`` (both bounds inclusive; open bounds are unlimited)."""
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def current(self):
        return self.valid_on(timezone.localdate())

    def provinces(self):
        return self.filter(level=UnitLevel.PROVINCE)

    def communes(self):
        return self.filter(level=UnitLevel.COMMUNE)


class AdminUnit(BaseModel):
    """One administrative unit (đơn vị hành chính) of one code set: country, province, district or
    commune (xã / phường / thị trấn / đặc khu).

    ``province`` points to the province the unit belongs to (itself for a province) so that scope
    filters need a single join. ``name_folded`` is the diacritics-free search form, written by
    the loader service.
    """

    code_set = models.ForeignKey(
        AdminCodeSet, verbose_name=_("code set"), on_delete=models.PROTECT, related_name="units"
    )
    level = models.CharField(_("level"), max_length=10, choices=UnitLevel.choices)
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("name"), max_length=150)
    division_type = models.CharField(_("type"), max_length=30, choices=DivisionType.choices)
    codename = models.CharField(_("code name"), max_length=150, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    province = models.ForeignKey(
        "self",
        verbose_name=_("province"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="province_members",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    name_folded = models.CharField(_("search name"), max_length=150, editable=False, db_index=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=2, null=True, blank=True)

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        ordering = ["code_set__valid_from", "level", "code"]
        verbose_name = _("administrative unit")
        verbose_name_plural = _("administrative units")
        constraints = [
            models.UniqueConstraint(
                fields=["code_set", "level", "code"],
                name="geography_unit_unique_code",
                violation_error_message=_("A unit with this level and code already exists in this code set."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="geography_unit_valid_range",
                violation_error_message=_("The end date must not be before the start date."),
            ),
        ]
        indexes = [models.Index(fields=["level", "code"], name="geography_unit_level_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to >= today
        )

    @property
    def key(self) -> str:
        """Stable external key: level prefix + code (``P42``, ``D437``, ``C18115``)."""
        prefix = {"country": "N", "province": "P", "district": "D", "commune": "C"}[self.level]
        return f"{prefix}{self.code}"

    def valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or self.valid_to >= day)

    @property
    def scope(self) -> Scope:
        """Permission scope of the unit itself (a province, or a commune inside its province)."""
        if self.level == UnitLevel.PROVINCE:
            return Scope(province_id=self.pk)
        if self.level == UnitLevel.COMMUNE:
            return Scope(province_id=self.province_id, commune_id=self.pk)
        return Scope(province_id=self.province_id)

    def get_absolute_url(self) -> str:
        return reverse("geography:unit_detail", kwargs={"pk": self.pk})


class AdminUnitSuccession(BaseModel):
    """An old unit was merged into, renamed to or split into a new one (kế thừa đơn vị hành chính).

    Legal basis: NQ 202/2025/QH15 (provinces), the Standing Committee resolutions on communes
    (2025) as compiled in the official conversion table. ``is_partial`` is set when only part of
    the old unit went to this successor.
    """

    predecessor = models.ForeignKey(
        AdminUnit, verbose_name=_("former unit"), on_delete=models.PROTECT, related_name="successions"
    )
    successor = models.ForeignKey(
        AdminUnit, verbose_name=_("successor unit"), on_delete=models.PROTECT, related_name="predecessions"
    )
    effective_on = models.DateField(_("effective on"))
    is_partial = models.BooleanField(_("partly merged"), default=False)
    basis = models.CharField(_("legal basis"), max_length=200, blank=True)

    class Meta:
        ordering = ["effective_on", "predecessor_id", "successor_id"]
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="geography_succession_unique",
                violation_error_message=_("This succession is already recorded."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="geography_succession_not_self",
                violation_error_message=_("A unit cannot succeed itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
