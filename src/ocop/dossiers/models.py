"""Dossiers (hồ sơ đánh giá, phân hạng sản phẩm OCOP), their evidence and the commune review.

* :class:`Dossier` — one product's dossier for one round year: Mẫu 01 + Mẫu 02 content, the
  self-scoring on the sheet of its set, workflow state and SLA deadline (26/2026 Art. 6–7.2).
* :class:`DossierEvidence` — a file attached to a criterion or a legal paper, uploaded or taken
  from the producer's evidence vault.
* :class:`CommuneReview` — the commune's review (Mẫu 03) and its proposal letter.
* :class:`DossierEvent` — the dossier's timeline: every transition with its reasons.
* :class:`GeneratedDocument` — the Mẫu 03 report and proposal letter issued at forwarding.
* :class:`ReceiptCounter` — the last receipt number per commune and year.

``state`` is written only by ``dossiers.services.transition_dossier``.
"""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.models import BaseModel
from ocop.core.scope import Scope
from ocop.dossiers.enums import (
    CLOSED_STATES,
    EDITABLE_STATES,
    CommuneTopic,
    DossierKind,
    DossierState,
    EvidenceSource,
    GeneratedDocumentKind,
)


class DossierQuerySet(models.QuerySet):
    def open(self):
        return self.filter(is_open=True)

    def in_states(self, states):
        return self.filter(state__in=list(states))


class Dossier(BaseModel):
    """A product's evaluation dossier (hồ sơ đánh giá, phân hạng sản phẩm OCOP).

    ``province``/``commune``/``producer`` are copied from the producer when the dossier is
    created and decide who may see it. ``rubric`` is the sheet version the producer scores on
    (snapshotted: a later version does not change a filed dossier). ``version`` increases with
    every change and guards against two people acting on the same dossier at once.
    """

    product = models.ForeignKey(
        "products.Product", verbose_name=_("product"), on_delete=models.PROTECT, related_name="dossiers"
    )
    producer = models.ForeignKey(
        "producers.Producer", verbose_name=_("producer"), on_delete=models.PROTECT, related_name="dossiers"
    )
    province = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("province"), on_delete=models.PROTECT, related_name="+"
    )
    commune = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("registration type"), max_length=20, choices=DossierKind.choices)
    year = models.PositiveSmallIntegerField(_("round year"))
    legal_basis = models.ForeignKey(
        "legal.LegalBasis", verbose_name=_("legal basis"), on_delete=models.PROTECT, related_name="+"
    )
    rubric = models.ForeignKey(
        "evaluation.RubricVersion", verbose_name=_("criteria sheet"), on_delete=models.PROTECT, related_name="+"
    )
    previous_star_record = models.ForeignKey(
        "products.StarRecord",
        verbose_name=_("recognition being upgraded or renewed"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    state = models.CharField(
        _("state"), max_length=30, choices=DossierState.choices, default=DossierState.DRAFT, editable=False
    )
    state_changed_at = models.DateTimeField(_("state changed at"), default=timezone.now, editable=False)
    is_open = models.BooleanField(_("open"), default=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    due_on = models.DateField(_("due on"), null=True, blank=True, editable=False)

    receipt_number = models.CharField(_("receipt number"), max_length=60, blank=True, editable=False)
    receipt_sequence = models.PositiveIntegerField(_("receipt sequence"), null=True, blank=True, editable=False)
    received_on = models.DateField(_("received on"), null=True, blank=True, editable=False)
    submission_count = models.PositiveSmallIntegerField(_("submissions"), default=0, editable=False)
    last_submitted_at = models.DateTimeField(_("last submitted at"), null=True, blank=True, editable=False)
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    target_round_year = models.PositiveSmallIntegerField(_("target round year"), null=True, blank=True)
    target_round_number = models.PositiveSmallIntegerField(_("target round"), null=True, blank=True)

    # Mẫu 01 and Mẫu 02 content (keys described by the form definition of the legal basis).
    registration = models.JSONField(_("registration form (Mẫu 01)"), default=dict, blank=True)
    general = models.JSONField(_("general information (Mẫu 02 Part I)"), default=dict, blank=True)
    legal_papers = models.JSONField(_("legal papers (Mẫu 02 Part I)"), default=dict, blank=True)
    business_results = models.JSONField(_("business plan results (Mẫu 02 Part II)"), default=dict, blank=True)
    answers = models.JSONField(_("self-scoring (Mẫu 02 Part III)"), default=dict, blank=True)
    plan_ahead = models.JSONField(_("plan ahead (Mẫu 02 Part IV)"), default=dict, blank=True)
    sample_count = models.PositiveSmallIntegerField(_("number of samples"), null=True, blank=True)
    declaration_accepted = models.BooleanField(_("truthfulness declaration"), default=False)

    self_total = models.DecimalField(_("self-assessed score"), max_digits=5, decimal_places=2, null=True, blank=True)
    self_part_totals = models.JSONField(_("self-assessed part scores"), default=dict, blank=True)
    self_star = models.PositiveSmallIntegerField(_("self-assessed stars"), null=True, blank=True)

    #: Content hashes of each section at the last submission (what changed since is flagged).
    submitted_hashes = models.JSONField(_("section hashes at last submission"), default=dict, blank=True)

    objects = DossierQuerySet.as_manager()

    class Meta:
        ordering = ["-state_changed_at", "-pk"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            models.UniqueConstraint(
                fields=["product"],
                condition=models.Q(is_open=True),
                name="dossiers_one_open_dossier_per_product",
                violation_error_message=_("This product already has a dossier in progress."),
            ),
            models.UniqueConstraint(
                fields=["receipt_number"],
                condition=~models.Q(receipt_number=""),
                name="dossiers_unique_receipt_number",
            ),
            models.CheckConstraint(
                condition=models.Q(sample_count__isnull=True) | models.Q(sample_count__lte=1000),
                name="dossiers_sample_count_range",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "state"], name="dossiers_commune_state_idx"),
            models.Index(fields=["province", "state"], name="dossiers_province_state_idx"),
        ]

    def __str__(self) -> str:
        label = self.receipt_number or _("draft")
        return f"{self.product} ({label})"

    def get_absolute_url(self) -> str:
        return reverse("dossiers:dossier_detail", kwargs={"pk": self.pk})

    @property
    def scope(self) -> Scope:
        return Scope(province_id=self.province_id, commune_id=self.commune_id, producer_id=self.producer_id)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES


def evidence_upload_path(instance: "DossierEvidence", filename: str) -> str:
    """Private path with a random part (the display name is kept separately)."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"dossiers/{instance.dossier_id}/evidence/{secrets.token_hex(16)}{suffix}"


class DossierEvidence(BaseModel):
    """One piece of evidence (minh chứng) in a dossier: for a criterion of Part III, for a legal
    paper of Part I, or general. Either an uploaded ``file`` or a ``vault_document``.

    ``added_in_submission`` is the submission the file first went with (1 = the first), so the
    commune sees what is new after a return.
    """

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="evidence")
    criterion_code = models.CharField(_("criterion"), max_length=20, blank=True)
    paper_key = models.CharField(_("legal paper"), max_length=50, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=EvidenceSource.choices)
    vault_document = models.ForeignKey(
        "producers.ProducerDocument",
        verbose_name=_("vault document"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier_uses",
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_path, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)
    mime_type = models.CharField(_("file type"), max_length=100, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    added_in_submission = models.PositiveSmallIntegerField(_("added in submission"), default=1)

    class Meta:
        ordering = ["dossier", "paper_key", "criterion_code", "pk"]
        verbose_name = _("dossier evidence")
        verbose_name_plural = _("dossier evidence")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(source=EvidenceSource.UPLOAD) & models.Q(vault_document__isnull=True))
                | (models.Q(source=EvidenceSource.VAULT) & models.Q(vault_document__isnull=False)),
                name="dossiers_evidence_source_matches",
            ),
            models.CheckConstraint(
                condition=models.Q(criterion_code="") | models.Q(paper_key=""),
                name="dossiers_evidence_one_target",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.source == EvidenceSource.VAULT and self.vault_document_id:
            document = self.vault_document
            return self.file_name or document.original_filename or str(document)
        return self.file_name

    @property
    def stored_file(self):
        """The file to serve: the upload or the vault document's file."""
        if self.source == EvidenceSource.VAULT:
            return self.vault_document.file if self.vault_document_id else None
        return self.file


class CommuneReview(BaseModel):
    """The commune's review of a dossier (Mẫu 03 — Báo cáo đánh giá một số nội dung của hồ sơ).

    ``completeness`` maps each check of the form definition to true/false; ``topics`` maps each
    :class:`~ocop.dossiers.enums.CommuneTopic` to ``{"assessment": text, "conclusion": …}``.
    """

    dossier = models.OneToOneField(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="commune_review"
    )
    completeness = models.JSONField(_("completeness check"), default=dict, blank=True)
    topics = models.JSONField(_("assessment of the four contents"), default=dict, blank=True)
    meeting_held = models.BooleanField(_("consultation meeting held"), default=False)
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    meeting_notes = models.TextField(_("meeting notes"), blank=True)
    proposal = models.TextField(_("proposal to the province"), blank=True)
    letter_number = models.CharField(_("letter number"), max_length=60, blank=True)
    letter_date = models.DateField(_("letter date"), null=True, blank=True)
    signer_name = models.CharField(_("signed by"), max_length=150, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=150, blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        ordering = ["dossier"]
        verbose_name = _("commune review")
        verbose_name_plural = _("commune reviews")

    def __str__(self) -> str:
        return f"{_('Commune review')}: {self.dossier}"

    def topic(self, key: str) -> dict:
        return dict(self.topics.get(key) or {})

    @property
    def topic_list(self) -> list[tuple[str, str, dict]]:
        return [(topic.value, topic.label, self.topic(topic.value)) for topic in CommuneTopic]


class DossierEvent(models.Model):
    """One step in a dossier's life (diễn biến hồ sơ): a transition, with its note and reasons.

    Written only by ``transition_dossier``; ``reasons`` are the items to complete when returned.
    """

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    from_state = models.CharField(_("from"), max_length=30, choices=DossierState.choices)
    to_state = models.CharField(_("to"), max_length=30, choices=DossierState.choices)
    note = models.TextField(_("note"), blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    changed_sections = models.JSONField(_("changed sections"), default=list, blank=True)

    class Meta:
        ordering = ["dossier", "at", "pk"]
        verbose_name = _("dossier event")
        verbose_name_plural = _("dossier events")

    def __str__(self) -> str:
        return f"{self.dossier}: {self.from_state} → {self.to_state}"


def generated_upload_path(instance: "GeneratedDocument", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"dossiers/{instance.dossier_id}/issued/{secrets.token_hex(16)}{suffix}"


class GeneratedDocument(BaseModel):
    """A document the system issued from the data (Mẫu 03, proposal letter), kept as issued."""

    dossier = models.ForeignKey(
        Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="generated_documents"
    )
    kind = models.CharField(_("document"), max_length=20, choices=GeneratedDocumentKind.choices)
    file_format = models.CharField(_("format"), max_length=5)
    file = models.FileField(_("file"), upload_to=generated_upload_path, max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["dossier", "kind", "file_format", "-pk"]
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")

    def __str__(self) -> str:
        return self.file_name


class ReceiptCounter(BaseModel):
    """The last receipt sequence used by one commune in one year (số tiếp nhận hồ sơ).

    Locked with ``select_for_update`` by ``allocate_receipt_number``; the unique constraint on
    ``Dossier.receipt_number`` is the final guard.
    """

    commune = models.ForeignKey(
        "geography.AdminUnit", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_sequence = models.PositiveIntegerField(_("last sequence"), default=0)

    class Meta:
        ordering = ["commune", "year"]
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")
        constraints = [models.UniqueConstraint(fields=["commune", "year"], name="dossiers_one_counter_per_year")]

    def __str__(self) -> str:
        return f"{self.commune} {self.year}: {self.last_sequence}"
