from django.db import models
from django.utils.translation import gettext_lazy as _


class CategoryLevel(models.TextChoices):
    """Levels of the official product taxonomy (26/2026 Annex I): ngành → nhóm → bộ sản phẩm."""

    SECTOR = "sector", _("Sector (ngành)")
    GROUP = "group", _("Group (nhóm)")
    SET = "set", _("Product set (bộ sản phẩm)")


class ProductCodeFormat(models.TextChoices):
    """Shape of a product code: since 2025 ``T-X-STT-YYYY``; before, with a district segment."""

    CURRENT = "current", _("T-X-STT-YYYY (since 2025)")
    LEGACY = "legacy", _("Legacy, with district")


class StarSource(models.TextChoices):
    """Where a star record came from."""

    EVALUATION = "evaluation", _("Evaluation in this system")
    IMPORT = "import", _("Imported record")
    MANUAL = "manual", _("Entered from a decision")


class CertificateStatus(models.TextChoices):
    """OCOP certificate status of a product on a day, derived from its star records."""

    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Re-rating window open")
    EXPIRED = "expired", _("Expired")
    NONE = "none", _("Not rated")

    def get_color(self) -> str:
        return {"valid": "success", "expiring": "warning", "expired": "danger", "none": "secondary"}[self.value]
