from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalBasisKind(models.TextChoices):
    """What a legal basis governs; OCOP criteria decisions vs. other referenced rules."""

    OCOP_CRITERIA = "ocop_criteria", _("OCOP criteria and evaluation")
    OCOP_AMENDMENT = "ocop_amendment", _("Amendment of OCOP rules")
