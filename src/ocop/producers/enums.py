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


class Gender(models.TextChoices):
    """Gender of the legal representative (feeds the criterion on women-led producers)."""

    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class CooperativeRating(models.TextChoices):
    """Cooperative classification result (xếp loại HTX: tốt / khá / trung bình / yếu)."""

    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    AVERAGE = "average", _("Average")
    WEAK = "weak", _("Weak")


class DocumentCategory(models.TextChoices):
    """Families of evidence documents kept in a producer's vault (kho hồ sơ minh chứng)."""

    CERTIFICATION = "certification", _("Certification (food safety, GAP, organic, ISO, HACCP …)")
    INTELLECTUAL_PROPERTY = "intellectual_property", _("Intellectual property")
    BUSINESS_REGISTRATION = "business_registration", _("Business registration")
    QUALITY_DECLARATION = "quality_declaration", _("Quality declaration")
    TEST_REPORT = "test_report", _("Test report")
    OTHER = "other", _("Other")


class ExpiryStatus(models.TextChoices):
    """Validity of a dated document on a given day."""

    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    NO_EXPIRY = "no_expiry", _("No expiry date")

    def get_color(self) -> str:
        return {"valid": "success", "expiring": "warning", "expired": "danger", "no_expiry": "secondary"}[self.value]
