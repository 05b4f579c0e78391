from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    """What kind of actor a role describes; it decides how the role's scope is read."""

    SYSTEM_ADMIN = "system_admin", _("System administrator")
    MINISTRY_OFFICE = "ministry_office", _("Ministry OCOP office")
    PROVINCE_AGENCY = "province_agency", _("Provincial OCOP agency")
    COUNCIL_MEMBER = "council_member", _("Council member")
    ADVISORY_MEMBER = "advisory_member", _("Advisory group member")
    COMMUNE_OFFICER = "commune_officer", _("Commune officer")
    PRODUCER = "producer", _("Producer account")


class Capability(models.TextChoices):
    """Capability flags a role can carry (the ``Role`` boolean fields of the same name)."""

    MANAGE_USERS = "can_manage_users", _("Manage user accounts and roles")
    MANAGE_REFERENCE_DATA = "can_manage_reference_data", _("Manage reference data")
    VIEW_REGISTRY = "can_view_registry", _("View producers and products")
    MANAGE_REGISTRY = "can_manage_registry", _("Edit producers and products")
    FILE_DOSSIERS = "can_file_dossiers", _("File evaluation dossiers")
    RECEIVE_DOSSIERS = "can_receive_dossiers", _("Receive dossiers at the commune")
    REVIEW_COMMUNE = "can_review_commune", _("Write the commune review (Mẫu 03)")
    CHECK_PROVINCE_DOSSIERS = "can_check_province_dossiers", _("Check dossiers at the province")
    MANAGE_ROUNDS = "can_manage_rounds", _("Manage evaluation rounds")
    MANAGE_COUNCILS = "can_manage_councils", _("Manage councils and advisory groups")
    SCORE_PRODUCTS = "is_council_member", _("Score products as a council member")
    ADVISE = "is_advisory_member", _("Review dossiers as an advisory group member")
    ISSUE_CERTIFICATES = "can_issue_certificates", _("Issue decisions and certificates")
    RECOGNISE_FIVE_STAR = "can_recognise_five_star", _("Recognise 5-star products")
    MANAGE_PROGRAMME = "can_manage_programme", _("Manage programme plans and reports")
    VIEW_REPORTS = "can_view_reports", _("View reports and dashboards")
    VIEW_AUDIT = "can_view_audit", _("View the audit trail")


#: Whoever files, receives, reviews or checks evaluation dossiers works with the dossier pages.
DOSSIER_CAPABILITIES = frozenset(
    {
        Capability.FILE_DOSSIERS.value,
        Capability.RECEIVE_DOSSIERS.value,
        Capability.REVIEW_COMMUNE.value,
        Capability.CHECK_PROVINCE_DOSSIERS.value,
        Capability.MANAGE_ROUNDS.value,
    }
)
