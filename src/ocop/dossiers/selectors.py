"""Read selectors of the dossiers app: scoped lists, inboxes, SLA countdowns, current recognition."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from ocop.accounts.enums import Capability
from ocop.accounts.selectors import scope_q
from ocop.dossiers.enums import COMMUNE_INBOX_STATES, PROVINCE_INBOX_STATES, DossierState
from ocop.dossiers.models import Dossier
from ocop.legal.selectors import effective_parameters, working_calendar

#: Content a list row never shows (large JSON sections).
LIST_DEFERRED = ("registration", "general", "legal_papers", "business_results", "answers", "plan_ahead")


def _scope(user, capability: str) -> Q:
    return scope_q(user, capability, province_field="province", commune_field="commune", producer_field="producer")


def dossiers_for_user(user) -> QuerySet[Dossier]:
    """Dossiers ``user`` may see (mirrors the ``dossiers.view_dossier`` rule)."""
    producer = _scope(user, Capability.FILE_DOSSIERS)
    commune = (_scope(user, Capability.RECEIVE_DOSSIERS) | _scope(user, Capability.REVIEW_COMMUNE)) & Q(
        submission_count__gt=0
    )
    province = (_scope(user, Capability.CHECK_PROVINCE_DOSSIERS) | _scope(user, Capability.MANAGE_ROUNDS)) & Q(
        forwarded_at__isnull=False
    )
    return (
        Dossier.objects.filter(producer | commune | province)
        .select_related("product", "producer", "province", "commune", "rubric", "legal_basis")
        .defer("rubric__data", "legal_basis__parameters")
    )


def commune_inbox(user) -> QuerySet[Dossier]:
    """Submitted dossiers waiting for the user's commune(s), oldest deadline first."""
    condition = _scope(user, Capability.RECEIVE_DOSSIERS) | _scope(user, Capability.REVIEW_COMMUNE)
    return (
        Dossier.objects.filter(condition, state__in=list(COMMUNE_INBOX_STATES))
        .select_related("product", "producer", "commune", "province")
        .defer(*LIST_DEFERRED)
        .order_by("due_on", "last_submitted_at", "pk")
    )


def province_inbox(user) -> QuerySet[Dossier]:
    """Dossiers forwarded to the user's province, oldest first."""
    condition = _scope(user, Capability.CHECK_PROVINCE_DOSSIERS)
    return (
        Dossier.objects.filter(condition, state__in=list(PROVINCE_INBOX_STATES))
        .select_related("product", "producer", "commune", "province")
        .defer(*LIST_DEFERRED)
        .order_by("forwarded_at", "pk")
    )


def get_dossier_for_user(user, pk: int) -> Dossier | None:
    return dossiers_for_user(user).filter(pk=pk).first()


def current_recognition(product, day: dt.date | None = None):
    """The product's star record valid on ``day`` (the newest recognised on or before it)."""
    day = day or timezone.localdate()
    return (
        product.star_records.filter(recognised_on__lte=day)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-recognised_on", "-pk")
        .first()
    )


def open_dossier_for(product) -> Dossier | None:
    return Dossier.objects.filter(product=product, is_open=True).first()


@dataclass(frozen=True)
class Deadline:
    """The SLA countdown of a dossier waiting for the commune."""

    due_on: dt.date
    working_days_left: int

    @property
    def is_overdue(self) -> bool:
        return self.working_days_left < 0

    @property
    def days_overdue(self) -> int:
        return max(0, -self.working_days_left)

    @property
    def is_due_soon(self) -> bool:
        return 0 <= self.working_days_left <= 3


def deadline_of(dossier: Dossier, today: dt.date | None = None, calendar=None) -> Deadline | None:
    """The countdown of a dossier waiting for the commune; pass ``calendar`` when listing many."""
    if dossier.due_on is None or dossier.state not in COMMUNE_INBOX_STATES:
        return None
    today = today or timezone.localdate()
    calendar = calendar or working_calendar()
    return Deadline(dossier.due_on, calendar.working_days_left(dossier.due_on, today))


def with_deadlines(dossiers) -> list[tuple[Dossier, Deadline | None]]:
    """Rows of (dossier, countdown) computed with one calendar and one date."""
    calendar = working_calendar()
    today = timezone.localdate()
    return [(dossier, deadline_of(dossier, today, calendar)) for dossier in dossiers]


def dossier_parameters(dossier: Dossier, day: dt.date | None = None) -> dict:
    return effective_parameters(dossier.legal_basis, day or timezone.localdate())


def events_of(dossier: Dossier):
    return dossier.events.select_related("actor").order_by("at", "pk")


def evidence_of(dossier: Dossier):
    return dossier.evidence.select_related("vault_document", "vault_document__document_type").order_by(
        "paper_key", "criterion_code", "pk"
    )


def state_counts(queryset: QuerySet[Dossier]) -> dict[str, int]:
    counts = {state: 0 for state in DossierState.values}
    for row in queryset.order_by().values("state"):
        counts[row["state"]] += 1
    return counts


def products_user_can_file(user):
    """Products the user may open a dossier for (their producer's products)."""
    from ocop.products.models import Product  # noqa: PLC0415 - keep the module's imports to its own app

    condition = scope_q(
        user,
        Capability.FILE_DOSSIERS,
        province_field="producer__province",
        commune_field="producer__commune",
        producer_field="producer",
    )
    return Product.objects.filter(condition).select_related("producer").order_by("name_folded", "pk")


def vault_documents_for(dossier: Dossier, paper_types: tuple[str, ...] = ()):
    """The producer's vault documents with a file; the paper's own types first."""
    documents = list(
        dossier.producer.documents.exclude(file="")
        .select_related("document_type")
        .order_by("document_type__name", "pk")
    )
    if paper_types:
        documents.sort(key=lambda document: document.document_type.slug not in paper_types)
    return documents


def evidence_counts(dossier: Dossier) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in dossier.evidence.all():
        if item.criterion_code:
            key = item.criterion_code
        elif item.paper_key:
            key = f"paper:{item.paper_key}"
        else:
            continue
        if key:
            counts[key] = counts.get(key, 0) + 1
    return counts
