"""Read selectors of import jobs."""

from django.core.cache import cache
from django.db.models import QuerySet

from ocop.imports.enums import ImportState
from ocop.imports.models import ImportJob, progress_key


def import_jobs_for_user(user) -> QuerySet[ImportJob]:
    """A user's own import jobs (superusers see all)."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    queryset = ImportJob.objects.select_related("created_by")
    return queryset if user.is_superuser else queryset.filter(created_by=user)


def job_progress(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows total) — read from the cache while the write transaction is open."""
    if job.state in (ImportState.IMPORTING, ImportState.IMPORT_QUEUED):
        total = job.valid_row_count if job.import_valid_only else job.total_rows
        return int(cache.get(progress_key(job.pk)) or 0), total
    return job.processed_rows, job.total_rows
