"""Read selectors of import jobs."""

from django.core.cache import cache
from django.db.models import QuerySet

from ocop.imports.enums import ImportState
from ocop.imports.models import ImportJob


def import_jobs_for_user(user) -> QuerySet[ImportJob]:
    """A user's own import jobs (superusers see all)."""
    if not user.is_authenticated:
        return ImportJob.objects.none()
    queryset = ImportJob.objects.select_related("created_by")
    return queryset if user.is_superuser else queryset.filter(created_by=user)


def job_progress(job: ImportJob) -> tuple[int, int]:
    """(rows done, rows total) — read from the cache while the write transaction is open."""
    if job.state == ImportState.IMPORTING:
        from ocop.imports.services import progress_key  # noqa: PLC0415 - selectors and services are one layer

        return int(cache.get(progress_key(job.pk)) or 0), job.total_rows
    return job.processed_rows, job.total_rows
