"""Criteria sheets (bộ tiêu chí kiêm phiếu đánh giá) as versioned data, and self-assessments.

A :class:`RubricVersion` is one version of the sheet of one product set under one legal basis
(26/2026 sheet 1, version 1). Its tree is stored twice on purpose: as the corrected data dict
(``data``, what the engine reads, hashed) and as rows (:class:`RubricNode`, :class:`RubricOption`,
:class:`RubricKnockout`) that later modules point at (a member's score sheet refers to options).
Once a version leaves *draft* it can never change: it is retired and replaced (issue 4, ADR 0011).
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ocop.core.models import BaseModel
from ocop.evaluation.enums import KnockoutKind, NodeKind, RubricSource, RubricStatus


class RubricVersion(BaseModel):
    legal_basis = models.ForeignKey(
        "legal.LegalBasis", verbose_name=_("legal basis"), on_delete=models.PROTECT, related_name="rubric_versions"
    )
    category = models.ForeignKey(
        "products.ProductCategory",
        verbose_name=_("product set"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rubric_versions",
    )
    sheet_number = models.PositiveSmallIntegerField(_("sheet number"))
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=300)
    classification = models.CharField(_("classification"), max_length=300, blank=True)
    source_reference = models.CharField(_("source"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=RubricStatus.choices, default=RubricStatus.DRAFT)
    origin = models.CharField(_("origin"), max_length=10, choices=RubricSource.choices, default=RubricSource.DATA_FILE)
    data = models.JSONField(_("sheet data"), help_text=_("The corrected sheet as the engine reads it."))
    content_hash = models.CharField(_("content hash"), max_length=64, editable=False)
    errata = models.JSONField(_("corrections applied"), default=list, blank=True)
    change_note = models.TextField(_("change note"), blank=True)
    imported_filename = models.CharField(_("imported file"), max_length=255, blank=True)
    replaces = models.ForeignKey(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["legal_basis", "sheet_number", "-version"]
        verbose_name = _("criteria sheet version")
        verbose_name_plural = _("criteria sheet versions")
        constraints = [
            models.UniqueConstraint(
                fields=["legal_basis", "sheet_number", "version"], name="evaluation_rubric_unique_version"
            ),
            models.UniqueConstraint(
                fields=["legal_basis", "sheet_number"],
                condition=models.Q(status="active"),
                name="evaluation_rubric_one_active",
                violation_error_message=_("Only one version of a sheet can be in use."),
            ),
        ]

    def __str__(self) -> str:
        return _("Sheet %(number)s – %(title)s (v%(version)s)") % {
            "number": self.sheet_number,
            "title": self.title,
            "version": self.version,
        }

    @property
    def is_locked(self) -> bool:
        return self.status != RubricStatus.DRAFT

    def save(self, *args, **kwargs):
        if self.pk:
            stored = RubricVersion.objects.filter(pk=self.pk).values("status", "content_hash").first()
            if stored and stored["status"] != RubricStatus.DRAFT and stored["content_hash"] != self.content_hash:
                raise ValidationError(
                    _("A criteria sheet version in use cannot be edited; import a new version instead."),
                    code="rubric_locked",
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_locked:
            raise ValidationError(_("Only a draft version can be deleted."), code="rubric_locked")
        return super().delete(*args, **kwargs)

    def to_sheet(self):
        """The engine's immutable sheet for this version (cached on the instance)."""
        if not hasattr(self, "_sheet"):
            from ocop.evaluation.rubric_io import sheet_from_data  # noqa: PLC0415

            self._sheet = sheet_from_data(self.data, key=f"{self.legal_basis_id}:{self.sheet_number}:v{self.version}")
        return self._sheet


class _LockedWithVersion(BaseModel):
    """Rows of a version can only be written while the version is a draft."""

    class Meta:
        abstract = True

    def _version(self) -> RubricVersion:
        raise NotImplementedError

    def save(self, *args, **kwargs):
        if self._version().is_locked:
            raise ValidationError(_("A criteria sheet version in use cannot be edited."), code="rubric_locked")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._version().is_locked:
            raise ValidationError(_("A criteria sheet version in use cannot be edited."), code="rubric_locked")
        return super().delete(*args, **kwargs)


class RubricNode(_LockedWithVersion):
    """A part, criteria group, criterion or sub-criterion (up to three levels under a part)."""

    rubric = models.ForeignKey(
        RubricVersion, verbose_name=_("sheet version"), on_delete=models.CASCADE, related_name="nodes"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=NodeKind.choices)
    code = models.CharField(_("code"), max_length=20)
    title = models.TextField(_("title"))
    max_points = models.DecimalField(_("maximum points"), max_digits=5, decimal_places=2)
    position = models.PositiveSmallIntegerField(_("position"))
    is_binary = models.BooleanField(_("yes/no criterion"), default=False)
    requirement = models.TextField(_("requirement"), blank=True)
    applies_if_code = models.CharField(_("applies only if criterion"), max_length=20, blank=True)
    applies_if_min_points = models.DecimalField(
        _("with at least"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    notes = models.JSONField(_("notes"), default=list, blank=True)
    case_labels = models.JSONField(_("cases"), default=dict, blank=True)

    class Meta:
        ordering = ["rubric", "position"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="evaluation_node_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def _version(self) -> RubricVersion:
        return self.rubric


class RubricOption(_LockedWithVersion):
    """One single-choice option (☐) of a leaf criterion, with its points and star-minimum marker."""

    node = models.ForeignKey(RubricNode, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="options")
    key = models.CharField(_("key"), max_length=30)
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.TextField(_("label"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    min_star = models.PositiveSmallIntegerField(_("minimum for stars"), null=True, blank=True)
    case = models.PositiveSmallIntegerField(_("case"), null=True, blank=True)

    class Meta:
        ordering = ["node", "position"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(fields=["node", "position"], name="evaluation_option_unique_position"),
            models.CheckConstraint(condition=models.Q(points__gte=0), name="evaluation_option_points_not_negative"),
            models.CheckConstraint(
                condition=models.Q(min_star__isnull=True) | models.Q(min_star__gte=1, min_star__lte=5),
                name="evaluation_option_star_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.points}"

    def _version(self) -> RubricVersion:
        return self.node.rubric


class RubricKnockout(_LockedWithVersion):
    """A condition that stops the evaluation (hồ sơ bị loại khi…, a gate note, a requirement)."""

    rubric = models.ForeignKey(
        RubricVersion, verbose_name=_("sheet version"), on_delete=models.CASCADE, related_name="knockouts"
    )
    node = models.ForeignKey(
        RubricNode,
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="knockouts",
    )
    key = models.CharField(_("key"), max_length=30)
    kind = models.CharField(_("kind"), max_length=15, choices=KnockoutKind.choices)
    text = models.TextField(_("text"))
    zero_in = models.JSONField(_("automatic when 0 points in"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["rubric", "position"]
        verbose_name = _("knock-out")
        verbose_name_plural = _("knock-outs")
        constraints = [models.UniqueConstraint(fields=["rubric", "key"], name="evaluation_knockout_unique_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.text[:60]}"

    def _version(self) -> RubricVersion:
        return self.rubric


class SelfAssessment(BaseModel):
    """The producer's self-assessment on the sheet (Mẫu 02, Part III), kept per product and version.

    ``answers`` maps criterion code → option key; the totals and the proposed star are stored as
    computed by the engine when saved (a dossier snapshots them, issue 5).
    """

    product = models.ForeignKey(
        "products.Product", verbose_name=_("product"), on_delete=models.CASCADE, related_name="self_assessments"
    )
    rubric = models.ForeignKey(
        RubricVersion, verbose_name=_("sheet version"), on_delete=models.PROTECT, related_name="self_assessments"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    total = models.DecimalField(_("total"), max_digits=5, decimal_places=2, default=Decimal(0))
    part_totals = models.JSONField(_("part totals"), default=dict, blank=True)
    proposed_star = models.PositiveSmallIntegerField(_("proposed star"), null=True, blank=True)
    is_complete = models.BooleanField(_("complete"), default=False)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")
        constraints = [models.UniqueConstraint(fields=["product", "rubric"], name="evaluation_selfassessment_unique")]

    def __str__(self) -> str:
        return _("Self-assessment of %(product)s") % {"product": self.product}

    @property
    def scope(self):
        return self.product.scope
