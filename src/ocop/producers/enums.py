from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalForm(models.TextChoices):
    """Eligible producer forms (chủ thể OCOP), 26/2026/QĐ-TTg Art. 2.3."""

    COOPERATIVE = "cooperative", _("Cooperative (HTX)")
    COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group (tổ hợp tác)")
    ENTERPRISE = "enterprise", _("Enterprise")
    FARM = "farm", _("Farm (trang trại)")
    HOUSEHOLD = "household", _("Production household")
    REGISTERED_HOUSEHOLD = "registered_household", _("Household with business registration")
    ASSOCIATION = "association", _("Association, union or operating centre (tourism only)")
