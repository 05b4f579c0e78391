from django.db import models
from django.utils.translation import gettext_lazy as _


class RubricStatus(models.TextChoices):
    """Life of a criteria-sheet version: a draft is checked, activated, later retired (never edited)."""

    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In use")
    RETIRED = "retired", _("Retired")


RUBRIC_TRANSITIONS = {
    RubricStatus.DRAFT: {RubricStatus.ACTIVE},
    RubricStatus.ACTIVE: {RubricStatus.RETIRED},
    RubricStatus.RETIRED: set(),
}


class NodeKind(models.TextChoices):
    PART = "part", _("Part")
    GROUP = "group", _("Criteria group")
    CRITERION = "criterion", _("Criterion")
    SUBCRITERION = "subcriterion", _("Sub-criterion")


class KnockoutKind(models.TextChoices):
    """Why an evaluation stops (hồ sơ bị loại khi…, ghi chú "không đánh giá các bước tiếp theo")."""

    DOSSIER = "dossier", _("Dossier rejected if")
    CRITERION = "criterion", _("Rejected under a criterion")
    REQUIREMENT = "requirement", _("Eligibility requirement")
    GATE = "gate", _("Evaluation stops")


class RubricSource(models.TextChoices):
    DATA_FILE = "data_file", _("Repository data file")
    IMPORT = "import", _("Imported file")


class BelowMinimumPolicy(models.TextChoices):
    DOWNGRADE = "downgrade", _("Falls to the highest star whose minimums are met")
    NOT_RECOGNISED = "not_recognised", _("Not recognised")
