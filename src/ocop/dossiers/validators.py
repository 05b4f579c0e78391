"""Checks on dossiers that need queries or rule data (style.md §3.5), shared by services and forms.

* :func:`missing_items` — what is still missing before the producer can submit (blocking) and
  what is only recommended (evidence for scored criteria);
* :func:`check_kind_eligibility` — first time / upgrade / re-rating against the product's
  current recognition and the re-rating window (180–120 days before expiry, 26/2026 Art. 7.6);
* :func:`commune_review_problems` — what the commune must still fill in before forwarding;
* :func:`target_round` — the provincial round a proposal received on a day is for (Art. 5).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ocop.dossiers.enums import CommuneTopic, DossierError, DossierKind, TopicConclusion

#: Mẫu 01 fields that must be filled (the registering unit and the product).
REQUIRED_REGISTRATION_FIELDS = (
    "unit_name",
    "representative_name",
    "representative_position",
    "address",
    "phone",
    "product_name",
)
#: Mẫu 02 Part I fields that must be filled.
REQUIRED_GENERAL_FIELDS = ("legal_form", "representative_gender", "representative_ethnicity", "specification")
TOURISM_SHEET = 26


@dataclass(frozen=True)
class MissingItem:
    """One thing missing from a dossier; ``step`` is the wizard step where it is fixed."""

    step: str
    message: str
    blocking: bool = True


def field_labels() -> dict[str, str]:
    return {
        "unit_name": _("name of the registering unit"),
        "representative_name": _("legal representative"),
        "representative_position": _("representative's position"),
        "address": _("address"),
        "phone": _("phone"),
        "email": _("e-mail"),
        "product_name": _("product name"),
        "legal_form": _("legal form"),
        "representative_gender": _("representative's gender"),
        "representative_ethnicity": _("representative's ethnicity"),
        "specification": _("product specification and standard"),
    }


def is_tourism(dossier) -> bool:
    return dossier.rubric.sheet_number == TOURISM_SHEET


def required_samples(dossier, parameters: dict) -> int:
    """Samples to send with the dossier: the basis's count, none for tourism services (Art. 6)."""
    if is_tourism(dossier):
        return 0
    return int(parameters.get("sample_count") or 0)


def missing_items(dossier, definition, parameters: dict, *, sheet=None, result=None) -> list[MissingItem]:
    """Everything still missing, blocking items first. ``result`` is the engine's score result of
    the dossier's answers (computed by the caller, who has the sheet)."""
    items: list[MissingItem] = []
    labels = field_labels()
    registration = dossier.registration or {}
    for key in REQUIRED_REGISTRATION_FIELDS:
        if not str(registration.get(key) or "").strip():
            items.append(MissingItem("registration", _("Mẫu 01: fill in the %(field)s.") % {"field": labels[key]}))
    needed = required_samples(dossier, parameters)
    if needed and (dossier.sample_count or 0) < needed:
        items.append(
            MissingItem(
                "registration",
                _("Mẫu 01: at least %(count)s product samples must go with the dossier.") % {"count": needed},
            )
        )
    if not dossier.declaration_accepted:
        items.append(MissingItem("registration", _("Mẫu 01: confirm that the information declared is true.")))
    general = dossier.general or {}
    for key in REQUIRED_GENERAL_FIELDS:
        if not str(general.get(key) or "").strip():
            items.append(MissingItem("general", _("Mẫu 02 Part I: fill in the %(field)s.") % {"field": labels[key]}))
    papers_with_evidence = set(dossier.evidence.exclude(paper_key="").values_list("paper_key", flat=True))
    for paper in definition.legal_papers:
        if paper.required and paper.key not in papers_with_evidence:
            items.append(MissingItem("general", _("Mẫu 02 Part I: attach “%(paper)s”.") % {"paper": paper.label}))
    results = dossier.business_results or {}
    if not any(str(results.get(item.key) or "").strip() for item in definition.business_results):
        items.append(MissingItem("results", _("Mẫu 02 Part II: describe the results of the business plan.")))
    if result is None or not result.complete:
        missing_codes = result.missing if result is not None else []
        message = (
            _("Mẫu 02 Part III: score every criterion (still open: %(codes)s).") % {"codes": ", ".join(missing_codes)}
            if missing_codes
            else _("Mẫu 02 Part III: score every criterion of the sheet.")
        )
        items.append(MissingItem("scoring", message))
    plan = dossier.plan_ahead or {}
    if not any(str(plan.get(item.key) or "").strip() for item in definition.plan_ahead):
        items.append(MissingItem("plan", _("Mẫu 02 Part IV: describe the plan ahead.")))
    if sheet is not None and result is not None:
        criteria_with_evidence = set(
            dossier.evidence.exclude(criterion_code="").values_list("criterion_code", flat=True)
        )
        for leaf in sheet.leaves():
            if result.points.get(leaf.code, 0) > 0 and leaf.code not in criteria_with_evidence:
                items.append(
                    MissingItem(
                        "scoring",
                        _("Criterion %(code)s: attach evidence for the points claimed.") % {"code": leaf.code},
                        blocking=False,
                    )
                )
    return items


def check_kind_eligibility(kind: str, star_record, day: dt.date, parameters: dict) -> None:
    """Refuse a registration type the product's recognition does not allow (DossierError).

    ``star_record`` is the product's current recognition (valid on ``day``) or None.
    """
    if kind == DossierKind.FIRST:
        if star_record is not None:
            raise DossierError(
                "kind_already_recognised",
                _(
                    "The product already holds a valid %(stars)s-star recognition; "
                    "file an upgrade or, near expiry, a re-rating."
                )
                % {"stars": star_record.stars},
            )
        return
    if star_record is None:
        raise DossierError(
            "kind_needs_recognition",
            _("An upgrade or a re-rating needs a valid recognition of the product; file a first-time dossier."),
        )
    if kind == DossierKind.UPGRADE:
        if star_record.stars >= 5:
            raise DossierError("kind_top_star", _("A 5-star product cannot be upgraded."))
        return
    if kind == DossierKind.RERATING:
        opens = parameters.get("rerating_window_opens_days_before_expiry")
        closes = parameters.get("rerating_window_closes_days_before_expiry")
        if star_record.valid_until is None or opens is None or closes is None:
            raise DossierError(
                "kind_no_window", _("No re-rating window applies to this recognition (no expiry date or rule).")
            )
        first_day = star_record.valid_until - dt.timedelta(days=int(opens))
        last_day = star_record.valid_until - dt.timedelta(days=int(closes))
        if not first_day <= day <= last_day:
            raise DossierError(
                "kind_outside_window",
                _(
                    "A re-rating dossier is filed between %(first)s and %(last)s "
                    "(%(opens)s to %(closes)s days before the certificate expires on %(expiry)s)."
                )
                % {
                    "first": first_day.strftime("%d/%m/%Y"),
                    "last": last_day.strftime("%d/%m/%Y"),
                    "opens": opens,
                    "closes": closes,
                    "expiry": star_record.valid_until.strftime("%d/%m/%Y"),
                },
            )
        return
    raise DossierError("kind_unknown", _("Unknown registration type."))


def commune_review_problems(review, topic_criteria: dict[str, tuple[str, ...]], *, tourism: bool) -> list[str]:
    """What the commune must still fill in before forwarding the dossier (Mẫu 03 + letter)."""
    problems: list[str] = []
    if review is None:
        return [_("Write the commune review (Mẫu 03) first.")]
    for key, _label, topic in review.topic_list:
        if key == CommuneTopic.RAW_MATERIAL and tourism and not topic_criteria.get(key):
            continue
        label = CommuneTopic(key).label
        if not str(topic.get("assessment") or "").strip():
            problems.append(_("Mẫu 03: write the assessment of “%(topic)s”.") % {"topic": label})
        if topic.get("conclusion") not in TopicConclusion.values:
            problems.append(_("Mẫu 03: choose a conclusion for “%(topic)s”.") % {"topic": label})
    if not review.proposal.strip():
        problems.append(_("Mẫu 03: write the proposal to the province."))
    if not review.letter_number.strip() or review.letter_date is None:
        problems.append(_("Proposal letter: enter its number and date."))
    if not review.signer_name.strip():
        problems.append(_("Proposal letter: enter who signs it."))
    return problems


def target_round(day: dt.date, calendar: list[dict], level: str = "province") -> tuple[int, int] | None:
    """(year, round) of the first ``level`` round whose proposal cut-off is on or after ``day``.

    Cut-offs are month-day strings (``"04-30"``) from the legal-basis data; after the last one
    of a year the proposal goes to the first round of the next year.
    """
    rounds = sorted(
        (entry for entry in calendar if entry.get("level") == level), key=lambda entry: entry["proposals_by"]
    )
    if not rounds:
        return None
    for year in (day.year, day.year + 1):
        for entry in rounds:
            month, dom = (int(part) for part in entry["proposals_by"].split("-"))
            if day <= dt.date(year, month, dom):
                return year, int(entry["round"])
    return None
