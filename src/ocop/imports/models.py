"""Spreadsheet import jobs (nhập dữ liệu từ Excel) run in the background.

A job is checked first (dry run: every problem recorded as row, column, value and message);
the domain data is written only when the user confirms, all rows in one transaction, and only
the valid rows if the user explicitly chose that.
"""

import secrets
from pathlib import PurePath

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ocop.core.models import BaseModel
from ocop.imports.enums import ImportKind, ImportState

MAX_STORED_ERRORS = 2000


def progress_key(job_pk: int) -> str:
    """Cache key of a running import's row counter (the job row is inside the open transaction)."""
    return f"imports:progress:{job_pk}"


def import_upload_path(instance: "ImportJob", filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"imports/{instance.kind}/{secrets.token_hex(16)}{suffix}"


class ImportJob(BaseModel):
    """One uploaded spreadsheet and what happened to it.

    ``state`` changes only through ``imports.services.transition_import_job``. ``errors`` holds at
    most ``MAX_STORED_ERRORS`` problems (``error_count`` is the true number); ``error_rows`` lists
    every row with a problem so "import only valid rows" can skip them.
    """

    kind = models.CharField(_("data"), max_length=20, choices=ImportKind.choices)
    state = models.CharField(_("state"), max_length=20, choices=ImportState.choices, default=ImportState.QUEUED)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=import_upload_path, max_length=255)
    original_filename = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    valid_row_count = models.PositiveIntegerField(_("valid rows"), default=0)
    error_count = models.PositiveIntegerField(_("problems"), default=0)
    errors = models.JSONField(_("problems found"), default=list, blank=True)
    error_rows = models.JSONField(_("rows with problems"), default=list, blank=True)
    import_valid_only = models.BooleanField(_("import only the valid rows"), default=False)
    created_count = models.PositiveIntegerField(_("records created"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_filename}"

    def get_absolute_url(self) -> str:
        return reverse("imports:job_detail", kwargs={"pk": self.pk})

    @property
    def is_running(self) -> bool:
        return self.state in ImportState.running_states

    def get_state_color(self) -> str:
        return ImportState(self.state).get_color()

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
