"""Write services of import jobs: upload → check (dry run) → confirm → write, all in the background.

Guarantees (issue "Producer and product registry"):

* nothing is written while any row is invalid, unless the user explicitly chose to import only
  the valid rows;
* the write is one transaction: it creates every row or none (the rows are re-checked inside it,
  so data that changed since the dry run cannot slip through);
* progress is visible while it runs: row counts on the job during the check, and through the
  cache during the write (the job row itself is inside the open transaction then).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext

from ocop.core.exceptions import ApplicationError
from ocop.core.importing import CellError, Importer, RowErrors
from ocop.core.services import log_action
from ocop.core.spreadsheets import SpreadsheetError, read_rows
from ocop.imports.enums import ALLOWED_TRANSITIONS, ImportState
from ocop.imports.models import MAX_STORED_ERRORS, ImportJob, progress_key
from ocop.imports.registry import get_importer_class

PROGRESS_EVERY = 100
ALLOWED_SUFFIXES = {".xlsx", ".csv"}


def transition_import_job(job: ImportJob, to_state: str, *, message: str | None = None, **fields) -> ImportJob:
    """The only writer of ``ImportJob.state``; refuses jumps outside ``ALLOWED_TRANSITIONS``."""
    if to_state not in ALLOWED_TRANSITIONS[job.state]:
        raise ApplicationError(
            gettext("This import cannot go from “%(from)s” to “%(to)s”.")
            % {"from": ImportState(job.state).label, "to": ImportState(to_state).label}
        )
    job.state = to_state
    job.state_changed_at = timezone.now()
    if message is not None:
        job.message = message[:500]
    for field, value in fields.items():
        setattr(job, field, value)
    job.save()
    return job


def _enqueue(task_name: str, job_pk: int) -> None:
    from ocop.imports import tasks  # noqa: PLC0415 - tasks import services (layer 0 wrappers)

    transaction.on_commit(lambda: getattr(tasks, task_name)(job_pk))


@transaction.atomic
def create_import_job(*, kind: str, upload, actor) -> ImportJob:
    """Store an uploaded spreadsheet and queue its check (dry run).

    Refuses other file types and files over ``OCOP_MAX_IMPORT_MB`` with a message; the content
    itself is checked in the background (a file that is not a workbook fails the job there).
    """
    suffix = Path(upload.name).suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise ValidationError(
            {"file": gettext("Upload an Excel workbook (.xlsx) or a CSV file, not “%(name)s”.") % {"name": upload.name}}
        )
    limit = settings.OCOP_MAX_IMPORT_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            {
                "file": gettext("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            }
        )
    job = ImportJob(kind=kind, original_filename=Path(upload.name).name[:255], file_size=upload.size)
    job.created_by = actor
    job.file = upload
    job.state_changed_at = timezone.now()
    job.save()
    log_action(job, "imports.job.create", actor=actor, data={"kind": kind, "file": job.original_filename})
    _enqueue("task_check_import", job.pk)
    return job


def _read(job: ImportJob, importer: Importer) -> list[tuple[int, dict]]:
    with job.file.open("rb") as handle:
        result = read_rows(handle, filename=job.original_filename, columns=importer.columns)
    return result.rows


def _check_rows(
    job: ImportJob, importer: Importer, rows: list[tuple[int, dict]], *, on_progress
) -> tuple[list[tuple[int, dict]], list[CellError]]:
    """Clean every row; returns (clean rows, problems) — the dry run, no domain writes."""
    clean: list[tuple[int, dict]] = []
    problems: list[CellError] = []
    for index, (row_number, values) in enumerate(rows, start=1):
        try:
            clean.append((row_number, importer.clean_row(values)))
        except RowErrors as exc:
            for column, message in exc.errors.items():
                value = values.get(column)
                problems.append(CellError(row_number, column, "" if value is None else str(value)[:200], message))
        if index % PROGRESS_EVERY == 0:
            on_progress(index)
    problems.extend(importer.check_rows(clean))
    return clean, problems


def _store_problems(job: ImportJob, importer: Importer, problems: list[CellError]) -> dict:
    headers = {column.key: column.header for column in importer.columns}
    problems = sorted(problems, key=lambda p: (p.row, p.column))
    return {
        "error_count": len(problems),
        "errors": [
            {"row": p.row, "column": headers.get(p.column, p.column), "value": p.value, "message": p.message}
            for p in problems[:MAX_STORED_ERRORS]
        ],
        "error_rows": sorted({p.row for p in problems}),
    }


def check_import(job: ImportJob) -> ImportJob:
    """Dry run: read the file and record every problem; writes nothing but the job row."""
    job = transition_import_job(job, ImportState.CHECKING, started_at=timezone.now(), processed_rows=0)
    importer = get_importer_class(job.kind)(actor=job.created_by)
    try:
        rows = _read(job, importer)
    except SpreadsheetError as exc:
        return transition_import_job(job, ImportState.FAILED, message=exc.message, finished_at=timezone.now())
    ImportJob.objects.filter(pk=job.pk).update(total_rows=len(rows))
    job.total_rows = len(rows)
    if not rows:
        return transition_import_job(
            job, ImportState.FAILED, message=gettext("The file has no data rows."), finished_at=timezone.now()
        )

    def on_progress(count: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=count)

    clean, problems = _check_rows(job, importer, rows, on_progress=on_progress)
    stored = _store_problems(job, importer, problems)
    valid = len({row for row, _ in clean} - set(stored["error_rows"]))
    return transition_import_job(
        job,
        ImportState.CHECKED,
        message="",
        processed_rows=len(rows),
        valid_row_count=valid,
        finished_at=timezone.now(),
        **stored,
    )


@transaction.atomic
def confirm_import(job: ImportJob, *, valid_only: bool, actor) -> ImportJob:
    """Queue the write after a dry run. With problems, only an explicit ``valid_only`` proceeds."""
    if job.state != ImportState.CHECKED:
        raise ApplicationError(gettext("Only a checked file can be imported."))
    if job.error_count and not valid_only:
        raise ApplicationError(
            gettext(
                "The file has %(count)s problem(s). Correct them and upload it again, or choose to import "
                "only the valid rows."
            )
            % {"count": job.error_count}
        )
    if job.valid_row_count == 0:
        raise ApplicationError(gettext("No row of this file can be imported."))
    job = transition_import_job(job, ImportState.IMPORT_QUEUED, import_valid_only=valid_only, processed_rows=0)
    log_action(job, "imports.job.confirm", actor=actor, data={"valid_only": valid_only})
    _enqueue("task_run_import", job.pk)
    return job


@transaction.atomic
def cancel_import_job(job: ImportJob, *, actor) -> ImportJob:
    job = transition_import_job(job, ImportState.CANCELLED, finished_at=timezone.now())
    log_action(job, "imports.job.cancel", actor=actor)
    return job


class _Abort(Exception):
    def __init__(self, problems: list[CellError]):
        self.problems = problems


def run_import(job: ImportJob) -> ImportJob:
    """Write the rows in one transaction (all or nothing) and record the outcome on the job."""
    job = transition_import_job(job, ImportState.IMPORTING, started_at=timezone.now(), processed_rows=0)
    importer = get_importer_class(job.kind)(actor=job.created_by)
    key = progress_key(job.pk)
    skip = set(job.error_rows) if job.import_valid_only else set()

    def on_progress(count: int) -> None:
        cache.set(key, count, timeout=3600)

    try:
        rows = [(number, values) for number, values in _read(job, importer) if number not in skip]
        with transaction.atomic():
            clean, problems = _check_rows(job, importer, rows, on_progress=lambda count: None)
            if problems:
                raise _Abort(problems)
            created = importer.write_rows(clean, on_progress)
    except _Abort as exc:
        stored = _store_problems(job, importer, exc.problems)
        return transition_import_job(
            job,
            ImportState.FAILED,
            message=gettext("The data changed since the check; nothing was imported. Check the file again."),
            finished_at=timezone.now(),
            **stored,
        )
    except (SpreadsheetError, ValidationError, ApplicationError) as exc:
        text = getattr(exc, "message", None) or " ".join(getattr(exc, "messages", [str(exc)]))
        return transition_import_job(
            job,
            ImportState.FAILED,
            message=gettext("Nothing was imported: %(reason)s") % {"reason": text},
            finished_at=timezone.now(),
        )
    finally:
        cache.delete(key)
    job = transition_import_job(
        job, ImportState.DONE, created_count=created, processed_rows=len(rows), finished_at=timezone.now()
    )
    log_action(job, "imports.job.done", actor=job.created_by, data={"created": created})
    return job


def fail_stuck_job(job: ImportJob, *, reason: str) -> ImportJob:
    """Mark a job that crashed unexpectedly as failed (called by the task wrapper)."""
    job.refresh_from_db()
    if job.state in {ImportState.DONE, ImportState.FAILED, ImportState.CANCELLED}:
        return job
    job.state = ImportState.FAILED
    job.message = (gettext("Unexpected error; nothing was imported. ") + reason)[:500]
    job.finished_at = timezone.now()
    job.save()
    return job
