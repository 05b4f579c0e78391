import enum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ImportState(models.TextChoices):
    """Life of an import job: checked first (dry run), written only after the user confirms."""

    QUEUED = "queued", pgettext_lazy("import state", "Waiting to be checked")
    CHECKING = "checking", pgettext_lazy("import state", "Checking")
    CHECKED = "checked", pgettext_lazy("import state", "Checked")
    IMPORT_QUEUED = "import_queued", pgettext_lazy("import state", "Waiting to import")
    IMPORTING = "importing", pgettext_lazy("import state", "Importing")
    DONE = "done", pgettext_lazy("import state", "Imported")
    FAILED = "failed", pgettext_lazy("import state", "Failed")
    CANCELLED = "cancelled", pgettext_lazy("import state", "Cancelled")

    running_states = enum.nonmember(("queued", "checking", "import_queued", "importing"))

    def get_color(self) -> str:
        return {
            "queued": "secondary",
            "checking": "info",
            "checked": "primary",
            "import_queued": "secondary",
            "importing": "info",
            "done": "success",
            "failed": "danger",
            "cancelled": "secondary",
        }[self.value]


class ImportKind(models.TextChoices):
    """What a spreadsheet holds; each kind has an importer in its domain app (imports.registry)."""

    PRODUCERS = "producers", _("Producers")
    PRODUCTS = "products", _("Products")


# Allowed transitions of ImportJob.state (style.md 3.6): the single writer is imports.services.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    "queued": {"checking", "failed", "cancelled"},
    "checking": {"checked", "failed"},
    "checked": {"import_queued", "cancelled", "queued"},
    "import_queued": {"importing", "failed"},
    "importing": {"done", "failed"},
    "done": set(),
    "failed": set(),
    "cancelled": set(),
}
