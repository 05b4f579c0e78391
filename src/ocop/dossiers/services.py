"""Write services of the dossiers app (26/2026/QĐ-TTg Art. 6–7.2).

:func:`transition_dossier` is the only writer of ``Dossier.state``. In one transaction it locks
the row, refuses a stale page (``expected_version``), refuses a jump that is not in
``enums.ALLOWED_TRANSITIONS`` or that the actor may not make, sets the state, the SLA deadline
and the version, saves, records a :class:`DossierEvent` and an activity-log entry, and queues the
notifications of the next actor with ``on_commit``. The wrappers (:func:`submit_dossier`,
:func:`return_dossier`, :func:`forward_dossier`, …) run their own checks and data first, under the
same lock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ocop.accounts.enums import Capability
from ocop.accounts.selectors import users_with_capability
from ocop.core.scope import Scope
from ocop.core.services import log_action
from ocop.core.uploads import inspect_upload
from ocop.dossiers.definitions import form_definition
from ocop.dossiers.enums import (
    ALLOWED_TRANSITIONS,
    CLOSED_STATES,
    EDITABLE_STATES,
    RETURN_STATES,
    TRANSITION_PERMISSIONS,
    TRANSITION_VERBS,
    CommuneTopic,
    DossierConflict,
    DossierError,
    DossierKind,
    DossierState,
    EvidenceSource,
    TopicConclusion,
)
from ocop.dossiers.models import CommuneReview, Dossier, DossierEvent, DossierEvidence, ReceiptCounter
from ocop.dossiers.selectors import current_recognition, open_dossier_for
from ocop.dossiers.validators import (
    check_kind_eligibility,
    commune_review_problems,
    is_tourism,
    missing_items,
    required_samples,
    target_round,
)
from ocop.evaluation.engine import ScoringError, score
from ocop.evaluation.selectors import rubric_for_product
from ocop.evaluation.services import star_rules_for
from ocop.legal.selectors import effective_parameters, rules_in_force, working_calendar
from ocop.notifications.services import notify

#: Sent after every transition (listeners in other apps: rounds, dashboards).
dossier_state_changed = Signal()

#: The content sections of a dossier, compared between submissions ("resubmit only what changed").
SECTIONS = ("registration", "general", "legal_papers", "business_results", "answers", "plan_ahead", "evidence")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _lock(dossier: Dossier, expected_version: int | None) -> Dossier:
    """The dossier row locked for this transaction; a stale ``expected_version`` is refused."""
    locked = Dossier.objects.select_for_update().select_related("rubric", "legal_basis").get(pk=dossier.pk)
    if expected_version is not None and locked.version != int(expected_version):
        raise DossierConflict(
            "stale",
            _(
                "Someone else has just changed this dossier (now: %(state)s). "
                "Reload the page to see the latest version; nothing was saved."
            )
            % {"state": locked.get_state_display()},
        )
    return locked


def _require(actor, permission: str, dossier) -> None:
    if actor is None or not actor.has_perm(permission, dossier):
        raise DossierError("forbidden", _("You are not allowed to do this with this dossier."))


def _require_editable(dossier: Dossier) -> None:
    if dossier.state not in EDITABLE_STATES:
        raise DossierError(
            "not_editable",
            _("The dossier can no longer be changed (state: %(state)s).") % {"state": dossier.get_state_display()},
        )


def dossier_parameters(dossier: Dossier, day: dt.date | None = None) -> dict:
    return effective_parameters(dossier.legal_basis, day or _today())


def dossier_definition(dossier: Dossier):
    definition = form_definition(dossier.legal_basis.code)
    if definition is None:
        raise DossierError(
            "forms_unavailable",
            _("The dossier forms of %(basis)s are not available.") % {"basis": dossier.legal_basis.code},
        )
    return definition


def score_dossier(dossier: Dossier):
    """(sheet, engine result) of the dossier's answers; the result is None if they are invalid."""
    sheet = dossier.rubric.to_sheet()
    try:
        return sheet, score(sheet, dossier.answers or {}, star_rules_for(dossier.legal_basis))
    except ScoringError:
        return sheet, None


def dossier_missing_items(dossier: Dossier):
    sheet, result = score_dossier(dossier)
    return missing_items(dossier, dossier_definition(dossier), dossier_parameters(dossier), sheet=sheet, result=result)


def section_hashes(dossier: Dossier) -> dict[str, str]:
    """A content hash per section, to tell the reviewers what changed since the last submission."""

    def digest(value) -> str:
        return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]

    evidence = sorted(
        (item.paper_key, item.criterion_code, item.sha256 or f"vault:{item.vault_document_id}")
        for item in dossier.evidence.all()
    )
    registration = dict(dossier.registration or {})
    registration["_samples"] = dossier.sample_count
    return {
        "registration": digest(registration),
        "general": digest(dossier.general),
        "legal_papers": digest(dossier.legal_papers),
        "business_results": digest(dossier.business_results),
        "answers": digest(dossier.answers),
        "plan_ahead": digest(dossier.plan_ahead),
        "evidence": digest(evidence),
    }


def changed_sections(dossier: Dossier) -> list[str]:
    """Sections whose content differs from the last submission (empty before the first)."""
    if not dossier.submitted_hashes:
        return []
    current = section_hashes(dossier)
    return [key for key in SECTIONS if current.get(key) != dossier.submitted_hashes.get(key)]


def allocate_receipt_number(commune, year: int) -> tuple[int, str]:
    """The next receipt number of ``commune`` in ``year``: ``<seq>/PĐK-<province>-<commune>-<year>``
    (26/2026 Annex III, Mẫu 01). Must run inside the caller's transaction."""
    try:
        with transaction.atomic():
            counter, _created = ReceiptCounter.objects.select_for_update().get_or_create(commune=commune, year=year)
    except IntegrityError:  # another transaction created the counter first; lock the row it made
        counter = ReceiptCounter.objects.select_for_update().get(commune=commune, year=year)
    counter.last_sequence += 1
    counter.save(update_fields=["last_sequence", "updated_at"])
    province_code = commune.province.code if commune.province_id else ""
    return counter.last_sequence, f"{counter.last_sequence}/PĐK-{province_code}-{commune.code}-{year}"


# ---------------------------------------------------------------------------------------------
# Notifications of the next actor
# ---------------------------------------------------------------------------------------------


def _recipients(dossier: Dossier, to_state: str) -> list:
    commune_scope = Scope(province_id=dossier.province_id, commune_id=dossier.commune_id)
    producer_scope = Scope(
        province_id=dossier.province_id, commune_id=dossier.commune_id, producer_id=dossier.producer_id
    )
    producers = [
        user
        for user in users_with_capability(Capability.FILE_DOSSIERS, producer_scope)
        if user.memberships.filter(producer=dossier.producer_id, is_active=True).exists()
    ]
    commune = users_with_capability(Capability.RECEIVE_DOSSIERS, commune_scope) + users_with_capability(
        Capability.REVIEW_COMMUNE, commune_scope
    )
    province = users_with_capability(Capability.CHECK_PROVINCE_DOSSIERS, Scope(province_id=dossier.province_id))
    if to_state == DossierState.SUBMITTED:
        return commune
    if to_state == DossierState.FORWARDED:
        return province + producers
    if to_state == DossierState.PROVINCE_RETURNED:
        return producers + commune
    if to_state == DossierState.ACCEPTED:
        return producers + commune
    if to_state == DossierState.WITHDRAWN:
        return commune if dossier.submission_count else []
    return producers


def _message(dossier: Dossier, from_state: str, to_state: str, note: str, reasons: list[str]) -> tuple[str, str]:
    title = _("Dossier %(product)s: %(state)s") % {
        "product": dossier.product.name,
        "state": DossierState(to_state).label,
    }
    lines = [
        _("Product: %(product)s — producer: %(producer)s.")
        % {
            "product": dossier.product.name,
            "producer": dossier.producer.name,
        }
    ]
    if dossier.receipt_number:
        lines.append(_("Receipt number: %(number)s.") % {"number": dossier.receipt_number})
    if to_state in RETURN_STATES and reasons:
        lines.append(_("To complete:"))
        lines.extend(f"- {reason}" for reason in reasons)
    if dossier.due_on and to_state == DossierState.SUBMITTED:
        lines.append(_("Review due by %(date)s.") % {"date": dossier.due_on.strftime("%d/%m/%Y")})
    if note:
        lines.append(note)
    return title, "\n".join(lines)


def _queue_notifications(dossier: Dossier, from_state: str, to_state: str, *, actor, note: str, reasons) -> None:
    recipients = [user for user in _recipients(dossier, to_state) if actor is None or user.pk != actor.pk]
    if not recipients:
        return
    title, body = _message(dossier, from_state, to_state, note, reasons)
    verb = TRANSITION_VERBS.get((from_state, to_state), to_state)
    notify(
        recipients,
        event=f"dossiers.dossier.{verb}",
        title=title,
        body=body,
        url=reverse("dossiers:dossier_detail", kwargs={"pk": dossier.pk}),
        obj=dossier,
    )


# ---------------------------------------------------------------------------------------------
# The transition function
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def transition_dossier(
    dossier: Dossier,
    to_state: str,
    *,
    actor,
    note: str = "",
    reasons: list[str] | None = None,
    expected_version: int | None = None,
    updates: Mapping | None = None,
    locked: bool = False,
) -> Dossier:
    """Move ``dossier`` to ``to_state`` (see the module docstring). ``updates`` are extra field
    values saved with the state (set by the wrapper services); ``locked`` says the caller holds
    the row lock already. Returns the saved dossier."""
    if not locked:
        dossier = _lock(dossier, expected_version)
    from_state = dossier.state
    if to_state not in ALLOWED_TRANSITIONS.get(from_state, frozenset()):
        raise DossierError(
            "transition_not_allowed",
            _("A dossier in the state “%(from)s” cannot become “%(to)s”.")
            % {"from": DossierState(from_state).label, "to": DossierState(to_state).label},
        )
    _require(actor, TRANSITION_PERMISSIONS[(from_state, to_state)], dossier)
    reasons = [str(reason).strip() for reason in (reasons or []) if str(reason).strip()]
    if to_state in RETURN_STATES and not reasons:
        raise DossierError("reasons_required", _("Give at least one reason so the producer knows what to complete."))
    now = timezone.now()
    fields = {"state", "state_changed_at", "version", "is_open", "due_on", "updated_at"}
    for name, value in (updates or {}).items():
        setattr(dossier, name, value)
        fields.add(name)
    if "due_on" not in (updates or {}):
        dossier.due_on = None
    dossier.state = to_state
    dossier.state_changed_at = now
    dossier.version += 1
    dossier.is_open = to_state not in CLOSED_STATES
    dossier.save(update_fields=sorted(fields))
    changes = changed_sections(dossier) if to_state in (DossierState.SUBMITTED, DossierState.FORWARDED) else []
    DossierEvent.objects.create(
        dossier=dossier,
        at=now,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=str(actor) if getattr(actor, "is_authenticated", False) else "",
        from_state=from_state,
        to_state=to_state,
        note=note,
        reasons=reasons,
        changed_sections=changes,
    )
    verb = TRANSITION_VERBS.get((from_state, to_state), to_state)
    log_action(
        dossier,
        f"dossiers.dossier.{verb}",
        actor=actor,
        data={"from": from_state, "to": to_state, "note": note, "reasons": reasons},
    )
    snapshot = Dossier.objects.select_related("product", "producer").get(pk=dossier.pk)
    transaction.on_commit(
        lambda: _queue_notifications(snapshot, from_state, to_state, actor=actor, note=note, reasons=reasons)
    )
    dossier_state_changed.send(sender=Dossier, dossier=dossier, from_state=from_state, to_state=to_state, actor=actor)
    return dossier


# ---------------------------------------------------------------------------------------------
# Producer: create, edit, evidence, submit, withdraw
# ---------------------------------------------------------------------------------------------


def prefill_registration(product) -> dict:
    producer = product.producer
    classification = product.classifications.select_related("category", "category__parent").first()
    return {
        "unit_name": producer.name,
        "representative_name": producer.representative_name,
        "representative_position": producer.representative_position,
        "address": producer.address,
        "phone": producer.phone,
        "email": producer.email,
        "product_name": product.name,
        "product_group": str(classification.category) if classification else "",
    }


def prefill_general(product) -> dict:
    producer = product.producer
    return {
        "legal_form": producer.get_legal_form_display() if producer.legal_form else "",
        "tax_code": producer.tax_code,
        "registration_number": producer.registration_number,
        "registration_issued_on": producer.registration_issued_on.isoformat()
        if producer.registration_issued_on
        else "",
        "established_on": producer.established_on.isoformat() if producer.established_on else "",
        "representative_gender": producer.get_representative_gender_display() if producer.representative_gender else "",
        "representative_ethnicity": str(producer.representative_ethnicity or ""),
        "representative_residence": "",
        "specification": product.specification or product.quality_standard,
    }


def _refresh_scores(dossier: Dossier) -> None:
    _sheet, result = score_dossier(dossier)
    if result is None:
        dossier.self_total = None
        dossier.self_part_totals = {}
        dossier.self_star = None
        return
    dossier.self_total = result.total
    dossier.self_part_totals = {code: str(value) for code, value in result.part_totals.items()}
    dossier.self_star = result.proposed_star


@transaction.atomic
def create_dossier(product, *, kind: str, actor, year: int | None = None) -> Dossier:
    """Start a draft dossier for ``product``, prefilled from the registry and its self-assessment."""
    _require(actor, "dossiers.add_dossier", product)
    day = _today()
    if kind not in DossierKind.values:
        raise DossierError("kind_unknown", _("Unknown registration type."))
    in_force = rules_in_force(day)
    if in_force is None:
        raise DossierError("no_rules", _("No evaluation rules are in force today."))
    basis, parameters = in_force
    if form_definition(basis.code) is None:
        raise DossierError(
            "forms_unavailable", _("The dossier forms of %(basis)s are not available.") % {"basis": basis.code}
        )
    _basis, rubric = rubric_for_product(product, day)
    if rubric is None:
        raise DossierError(
            "no_sheet",
            _("The product has no product set under %(basis)s yet; classify it first.") % {"basis": basis.code},
        )
    producer = product.producer
    if producer.commune_id is None:
        raise DossierError(
            "no_commune", _("The producer's commune is not known; complete the producer's address first.")
        )
    existing = open_dossier_for(product)
    if existing is not None:
        raise DossierError(
            "already_open",
            _("This product already has a dossier in progress (%(state)s).") % {"state": existing.get_state_display()},
        )
    recognition = current_recognition(product, day)
    check_kind_eligibility(kind, recognition, day, parameters)
    assessment = product.self_assessments.filter(rubric=rubric).first()
    dossier = Dossier(
        product=product,
        producer=producer,
        province_id=producer.province_id,
        commune_id=producer.commune_id,
        kind=kind,
        year=year or day.year,
        legal_basis=basis,
        rubric=rubric,
        previous_star_record=recognition if kind != DossierKind.FIRST else None,
        registration=prefill_registration(product),
        general=prefill_general(product),
        answers=dict(assessment.answers) if assessment else {},
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    dossier.sample_count = required_samples(dossier, parameters) or None
    _refresh_scores(dossier)
    try:
        with transaction.atomic():
            dossier.save()
    except IntegrityError as error:
        raise DossierError("already_open", _("This product already has a dossier in progress.")) from error
    DossierEvent.objects.create(
        dossier=dossier,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_name=str(actor) if getattr(actor, "is_authenticated", False) else "",
        from_state=DossierState.DRAFT,
        to_state=DossierState.DRAFT,
        note=_("Draft created."),
    )
    log_action(dossier, "dossiers.dossier.create", actor=actor, data={"kind": kind, "rubric": rubric.pk})
    return dossier


EDITABLE_FIELDS = {
    "registration": {"registration", "sample_count", "declaration_accepted"},
    "general": {"general", "legal_papers"},
    "results": {"business_results"},
    "plan": {"plan_ahead"},
}


@transaction.atomic
def save_dossier_step(dossier: Dossier, step: str, values: Mapping, *, actor, expected_version: int | None) -> Dossier:
    """Save one wizard step's fields (a draft: nothing is checked for completeness here)."""
    locked = _lock(dossier, expected_version)
    _require(actor, "dossiers.change_dossier", locked)
    _require_editable(locked)
    allowed = EDITABLE_FIELDS.get(step)
    if allowed is None:
        raise DossierError("unknown_step", _("Unknown step."))
    unknown = set(values) - allowed
    if unknown:
        raise DossierError("unknown_field", _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    for name, value in values.items():
        setattr(locked, name, value)
    locked.version += 1
    locked.save(update_fields=[*values, "version", "updated_at"])
    return locked


@transaction.atomic
def save_dossier_answers(
    dossier: Dossier, answers: Mapping[str, str], *, actor, expected_version: int | None
) -> tuple[Dossier, object]:
    """Store the self-scoring (Part III); an option of another sheet or criterion is refused."""
    locked = _lock(dossier, expected_version)
    _require(actor, "dossiers.change_dossier", locked)
    _require_editable(locked)
    sheet = locked.rubric.to_sheet()
    result = score(sheet, dict(answers), star_rules_for(locked.legal_basis))  # raises ScoringError
    locked.answers = dict(answers)
    locked.self_total = result.total
    locked.self_part_totals = {code: str(value) for code, value in result.part_totals.items()}
    locked.self_star = result.proposed_star
    locked.version += 1
    locked.save(update_fields=["answers", "self_total", "self_part_totals", "self_star", "version", "updated_at"])
    return locked, result


def _evidence_target(dossier: Dossier, criterion_code: str, paper_key: str) -> tuple[str, str]:
    criterion_code = (criterion_code or "").strip()
    paper_key = (paper_key or "").strip()
    if criterion_code and paper_key:
        raise DossierError("evidence_target", _("Attach a file to a criterion or to a legal paper, not both."))
    if criterion_code:
        try:
            dossier.rubric.to_sheet().leaf(criterion_code)
        except ScoringError as error:
            raise DossierError("unknown_criterion", error.message) from error
    if paper_key and dossier_definition(dossier).paper(paper_key) is None:
        raise DossierError("unknown_paper", _("Unknown legal paper “%(key)s”.") % {"key": paper_key})
    return criterion_code, paper_key


@transaction.atomic
def add_evidence_file(
    dossier: Dossier, uploaded, *, actor, criterion_code: str = "", paper_key: str = "", note: str = ""
) -> DossierEvidence:
    """Attach an uploaded file, checked by content (type, size) before anything is stored."""
    locked = _lock(dossier, None)
    _require(actor, "dossiers.change_dossier", locked)
    _require_editable(locked)
    criterion_code, paper_key = _evidence_target(locked, criterion_code, paper_key)
    info = inspect_upload(uploaded)  # ValidationError with a clear message
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    evidence = DossierEvidence(
        dossier=locked,
        criterion_code=criterion_code,
        paper_key=paper_key,
        source=EvidenceSource.UPLOAD,
        file_name=info.safe_name,
        file_size=info.size,
        mime_type=info.mime,
        sha256=digest.hexdigest(),
        note=note[:300],
        added_in_submission=locked.submission_count + 1,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    evidence.file.save(info.safe_name, uploaded, save=False)
    try:
        evidence.save()
    except Exception:
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def add_evidence_from_vault(
    dossier: Dossier, document, *, actor, criterion_code: str = "", paper_key: str = "", note: str = ""
) -> DossierEvidence:
    """Attach a document of the producer's evidence vault (no copy: the vault keeps the file)."""
    locked = _lock(dossier, None)
    _require(actor, "dossiers.change_dossier", locked)
    _require_editable(locked)
    if document.producer_id != locked.producer_id:
        raise DossierError("foreign_document", _("This document belongs to another producer."))
    criterion_code, paper_key = _evidence_target(locked, criterion_code, paper_key)
    if locked.evidence.filter(vault_document=document, criterion_code=criterion_code, paper_key=paper_key).exists():
        raise DossierError("duplicate_evidence", _("This document is already attached here."))
    return DossierEvidence.objects.create(
        dossier=locked,
        criterion_code=criterion_code,
        paper_key=paper_key,
        source=EvidenceSource.VAULT,
        vault_document=document,
        file_name=document.original_filename or str(document),
        file_size=document.file_size,
        note=note[:300],
        added_in_submission=locked.submission_count + 1,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


@transaction.atomic
def remove_evidence(evidence: DossierEvidence, *, actor) -> None:
    locked = _lock(evidence.dossier, None)
    _require(actor, "dossiers.change_dossier", locked)
    _require_editable(locked)
    storage, name = (evidence.file.storage, evidence.file.name) if evidence.file else (None, "")
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def submit_dossier(dossier: Dossier, *, actor, expected_version: int | None) -> Dossier:
    """Submit (or resubmit) to the commune; after a province return, back to the province.

    The first submission gets the receipt number; each submission to the commune restarts the
    commune's review period (working days of the legal basis, e.g. 15 under 26/2026).
    """
    locked = _lock(dossier, expected_version)
    if locked.state not in (DossierState.DRAFT, DossierState.RETURNED, DossierState.PROVINCE_RETURNED):
        # Let the transition function give the precise message (double click, stale tab).
        target = DossierState.SUBMITTED
        return transition_dossier(locked, target, actor=actor, locked=True)
    _require(actor, "dossiers.submit_dossier", locked)
    blocking = [item.message for item in dossier_missing_items(locked) if item.blocking]
    if blocking:
        raise DossierError("incomplete", _("The dossier is not complete yet; nothing was submitted."), missing=blocking)
    today = _today()
    parameters = effective_parameters(locked.legal_basis, today)
    if locked.kind != DossierKind.FIRST or locked.state == DossierState.DRAFT:
        check_kind_eligibility(locked.kind, current_recognition(locked.product, today), today, parameters)
    if locked.rubric.status != "active":
        raise DossierError(
            "rubric_retired",
            _("The criteria sheet of this dossier has been replaced; start a new dossier on the sheet in use."),
        )
    now = timezone.now()
    updates: dict = {"submission_count": locked.submission_count + 1, "last_submitted_at": now}
    if locked.state == DossierState.PROVINCE_RETURNED:
        to_state = DossierState.FORWARDED
        updates["forwarded_at"] = now
    else:
        to_state = DossierState.SUBMITTED
        if not locked.receipt_number:
            sequence, number = allocate_receipt_number(locked.commune, today.year)
            updates.update(receipt_sequence=sequence, receipt_number=number, received_on=today)
        working_days = parameters.get("commune_review_working_days")
        if working_days:
            updates["due_on"] = working_calendar().add_working_days(today, int(working_days))
    result = transition_dossier(locked, to_state, actor=actor, updates=updates, locked=True)
    result.submitted_hashes = section_hashes(result)
    result.save(update_fields=["submitted_hashes"])
    return result


@transaction.atomic
def withdraw_dossier(dossier: Dossier, *, actor, note: str = "", expected_version: int | None) -> Dossier:
    return transition_dossier(
        dossier, DossierState.WITHDRAWN, actor=actor, note=note, expected_version=expected_version
    )


# ---------------------------------------------------------------------------------------------
# Commune: receive, review (Mẫu 03), return, forward
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def receive_dossier(dossier: Dossier, *, actor, completeness: Mapping[str, bool], expected_version: int | None):
    """The commune confirms the dossier is complete and starts assessing the four topics."""
    locked = _lock(dossier, expected_version)
    _require(actor, "dossiers.receive_dossier", locked)
    definition = dossier_definition(locked)
    tourism = is_tourism(locked)
    checks = [item for item in definition.completeness if not (tourism and item.skip_for_tourism)]
    unchecked = [item.label for item in checks if not completeness.get(item.key)]
    if unchecked and locked.state == DossierState.SUBMITTED:
        raise DossierError(
            "incomplete_at_commune",
            _("Tick every completeness check, or return the dossier for completion instead."),
            missing=unchecked,
        )
    review, _created = CommuneReview.objects.get_or_create(dossier=locked)
    review.completeness = {item.key: bool(completeness.get(item.key)) for item in checks}
    review.reviewer = actor if getattr(actor, "is_authenticated", False) else None
    review.save()
    return transition_dossier(locked, DossierState.COMMUNE_REVIEW, actor=actor, locked=True)


REVIEW_FIELDS = (
    "meeting_held",
    "meeting_on",
    "meeting_notes",
    "proposal",
    "letter_number",
    "letter_date",
    "signer_name",
    "signer_position",
)


@transaction.atomic
def save_commune_review(
    dossier: Dossier, *, actor, topics: Mapping[str, Mapping], expected_version: int | None, **fields
) -> CommuneReview:
    """Save the Mẫu 03 draft (the four topics, meeting, proposal, letter details)."""
    locked = _lock(dossier, expected_version)
    _require(actor, "dossiers.review_dossier", locked)
    if locked.state != DossierState.COMMUNE_REVIEW:
        raise DossierError(
            "not_in_review",
            _("The commune review can be written only while the dossier is under review (now: %(state)s).")
            % {"state": locked.get_state_display()},
        )
    unknown = set(fields) - set(REVIEW_FIELDS)
    if unknown:
        raise DossierError("unknown_field", _("Unknown fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))})
    review, _created = CommuneReview.objects.select_for_update().get_or_create(dossier=locked)
    cleaned = {}
    for key in CommuneTopic.values:
        topic = topics.get(key) or {}
        conclusion = topic.get("conclusion") or ""
        if conclusion and conclusion not in TopicConclusion.values:
            raise DossierError("bad_conclusion", _("Unknown conclusion “%(value)s”.") % {"value": conclusion})
        cleaned[key] = {"assessment": str(topic.get("assessment") or "").strip(), "conclusion": conclusion}
    review.topics = cleaned
    for name, value in fields.items():
        setattr(review, name, value)
    review.reviewer = actor if getattr(actor, "is_authenticated", False) else None
    review.version += 1
    review.save()
    locked.version += 1
    locked.save(update_fields=["version", "updated_at"])
    return review


@transaction.atomic
def return_dossier(
    dossier: Dossier, *, actor, reasons: list[str], note: str = "", expected_version: int | None
) -> Dossier:
    """Return for completion: by the commune (submitted or under review) or by the province."""
    locked = _lock(dossier, expected_version)
    to_state = DossierState.PROVINCE_RETURNED if locked.state == DossierState.FORWARDED else DossierState.RETURNED
    return transition_dossier(locked, to_state, actor=actor, note=note, reasons=reasons, locked=True)


@transaction.atomic
def forward_dossier(dossier: Dossier, *, actor, note: str = "", expected_version: int | None) -> Dossier:
    """Forward to the province with the Mẫu 03 report and the proposal letter (Art. 7.2b)."""
    locked = _lock(dossier, expected_version)
    if locked.state == DossierState.COMMUNE_REVIEW:
        _require(actor, "dossiers.review_dossier", locked)
        review = CommuneReview.objects.filter(dossier=locked).first()
        topic_criteria = dossier_definition(locked).topic_criteria(locked.rubric.sheet_number)
        problems = commune_review_problems(review, topic_criteria, tourism=is_tourism(locked))
        if problems:
            raise DossierError(
                "review_incomplete", _("The commune review is not complete; nothing was forwarded."), missing=problems
            )
    now = timezone.now()
    parameters = effective_parameters(locked.legal_basis, now.date())
    target = target_round(timezone.localdate(), parameters.get("round_calendar") or [])
    updates = {"forwarded_at": now}
    if target is not None:
        updates.update(target_round_year=target[0], target_round_number=target[1])
    return transition_dossier(locked, DossierState.FORWARDED, actor=actor, note=note, updates=updates, locked=True)


# ---------------------------------------------------------------------------------------------
# Province intake
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def accept_dossier(dossier: Dossier, *, actor, note: str = "", expected_version: int | None) -> Dossier:
    """The provincial OCOP agency accepts the dossier for the next round (rounds: next module)."""
    locked = _lock(dossier, expected_version)
    parameters = effective_parameters(locked.legal_basis, timezone.localdate())
    target = target_round(
        (locked.forwarded_at or timezone.now()).astimezone(timezone.get_current_timezone()).date(),
        parameters.get("round_calendar") or [],
    )
    updates: dict = {"accepted_at": timezone.now()}
    if target is not None:
        updates.update(target_round_year=target[0], target_round_number=target[1])
    return transition_dossier(locked, DossierState.ACCEPTED, actor=actor, note=note, updates=updates, locked=True)
