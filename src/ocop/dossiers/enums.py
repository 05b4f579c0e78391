"""States, kinds and the transition table of a dossier (hồ sơ đánh giá, phân hạng sản phẩm OCOP).

Decision 26/2026/QĐ-TTg Art. 6 (dossier contents) and Art. 7.1–7.2 (filing at the commune, the
commune's review within 15 working days, forwarding to the province). ``ALLOWED_TRANSITIONS`` is
the only place that says which state may follow which; ``services.transition_dossier`` enforces it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DossierKind(models.TextChoices):
    """Registration type on Mẫu 01 (Lần đầu / Nâng hạng / Đánh giá lại)."""

    FIRST = "first", _("First-time evaluation")
    UPGRADE = "upgrade", _("Upgrade")
    RERATING = "rerating", _("Re-rating at expiry")


class DossierState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("dossier state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("dossier state", "Submitted to the commune")
    COMMUNE_REVIEW = "commune_review", pgettext_lazy("dossier state", "Under commune review")
    RETURNED = "returned", pgettext_lazy("dossier state", "Returned by the commune")
    FORWARDED = "forwarded", pgettext_lazy("dossier state", "Forwarded to the province")
    PROVINCE_RETURNED = "province_returned", pgettext_lazy("dossier state", "Returned by the province")
    ACCEPTED = "accepted", pgettext_lazy("dossier state", "Accepted by the province")
    WITHDRAWN = "withdrawn", pgettext_lazy("dossier state", "Withdrawn")


S = DossierState

#: Which state may follow which. Anything else is refused by ``transition_dossier``.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset({S.COMMUNE_REVIEW, S.RETURNED, S.WITHDRAWN}),
    S.COMMUNE_REVIEW: frozenset({S.RETURNED, S.FORWARDED}),
    S.RETURNED: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.FORWARDED: frozenset({S.ACCEPTED, S.PROVINCE_RETURNED}),
    S.PROVINCE_RETURNED: frozenset({S.FORWARDED, S.WITHDRAWN}),
    # Accepted dossiers wait for an evaluation round (rounds and councils add the next states).
    S.ACCEPTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}

#: The permission (``dossiers.<action>_dossier``) each transition needs; checked on the dossier.
TRANSITION_PERMISSIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "dossiers.submit_dossier",
    (S.RETURNED, S.SUBMITTED): "dossiers.submit_dossier",
    (S.PROVINCE_RETURNED, S.FORWARDED): "dossiers.submit_dossier",
    (S.DRAFT, S.WITHDRAWN): "dossiers.withdraw_dossier",
    (S.SUBMITTED, S.WITHDRAWN): "dossiers.withdraw_dossier",
    (S.RETURNED, S.WITHDRAWN): "dossiers.withdraw_dossier",
    (S.PROVINCE_RETURNED, S.WITHDRAWN): "dossiers.withdraw_dossier",
    (S.SUBMITTED, S.COMMUNE_REVIEW): "dossiers.receive_dossier",
    (S.SUBMITTED, S.RETURNED): "dossiers.receive_dossier",
    (S.COMMUNE_REVIEW, S.RETURNED): "dossiers.review_dossier",
    (S.COMMUNE_REVIEW, S.FORWARDED): "dossiers.review_dossier",
    (S.FORWARDED, S.ACCEPTED): "dossiers.check_dossier",
    (S.FORWARDED, S.PROVINCE_RETURNED): "dossiers.check_dossier",
}

#: States in which the producer may edit the dossier's content.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED, S.PROVINCE_RETURNED})
#: States that end the dossier's life here (it no longer blocks a new dossier for the product).
CLOSED_STATES = frozenset({S.WITHDRAWN})
#: States waiting for the commune (inbox) and for the province (intake).
COMMUNE_INBOX_STATES = frozenset({S.SUBMITTED, S.COMMUNE_REVIEW})
PROVINCE_INBOX_STATES = frozenset({S.FORWARDED})
#: Transitions that need written reasons.
RETURN_STATES = frozenset({S.RETURNED, S.PROVINCE_RETURNED})

# Transition names used in the activity log (``dossiers.dossier.<verb>``) and notifications.
TRANSITION_VERBS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "submit",
    (S.RETURNED, S.SUBMITTED): "resubmit",
    (S.PROVINCE_RETURNED, S.FORWARDED): "resubmit_province",
    (S.SUBMITTED, S.COMMUNE_REVIEW): "receive",
    (S.SUBMITTED, S.RETURNED): "return",
    (S.COMMUNE_REVIEW, S.RETURNED): "return",
    (S.COMMUNE_REVIEW, S.FORWARDED): "forward",
    (S.FORWARDED, S.ACCEPTED): "accept",
    (S.FORWARDED, S.PROVINCE_RETURNED): "return_province",
}


class EvidenceSource(models.TextChoices):
    UPLOAD = "upload", _("Uploaded file")
    VAULT = "vault", _("Document from the evidence vault")


class CommuneTopic(models.TextChoices):
    """The four contents the commune assesses (Art. 7.2a; Mẫu 03 Section II)."""

    RAW_MATERIAL = "raw_material", _("Product origin and local raw materials")
    LABOUR = "labour", _("Use of local labour")
    IDEA = "idea", _("Origin of the product idea")
    IDENTITY = "identity", _("Local identity and know-how")


class TopicConclusion(models.TextChoices):
    MET = "met", _("Meets the requirement")
    PARTLY = "partly", _("Partly meets it")
    NOT_MET = "not_met", _("Does not meet it")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class GeneratedDocumentKind(models.TextChoices):
    REPORT = "mau03", _("Commune report (Mẫu 03)")
    PROPOSAL = "proposal", _("Proposal letter to the province")


class DossierError(Exception):
    """A workflow rule refused the operation; ``message`` is for the user, ``code`` for tests.

    ``missing`` lists the items still missing (completeness), each a short sentence.
    """

    def __init__(self, code: str, message, *, missing: list | None = None):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.missing = list(missing or [])


class DossierConflict(DossierError):
    """Someone else changed the dossier since the page was opened (optimistic locking)."""
