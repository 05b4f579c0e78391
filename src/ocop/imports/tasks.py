"""Background wrappers (huey): load the job by id and call the service (style.md 3.2)."""

import logging

from huey.contrib.djhuey import db_task

from ocop.core.context import change_context

logger = logging.getLogger(__name__)


@db_task(name="ocop.imports.check_import")
def task_check_import(job_pk: int) -> None:
    from ocop.imports.enums import ImportState  # noqa: PLC0415 - tasks are layer 0; models load lazily
    from ocop.imports.models import ImportJob  # noqa: PLC0415 - same
    from ocop.imports.services import check_import, fail_stuck_job  # noqa: PLC0415 - same

    job = ImportJob.objects.filter(pk=job_pk, state=ImportState.QUEUED).first()
    if job is None:  # already handled (a duplicate delivery) or cancelled
        return
    try:
        with change_context(job.created_by, source="import"):
            check_import(job)
    except Exception as exc:
        logger.exception("Import check %s crashed", job_pk)
        fail_stuck_job(job, reason=type(exc).__name__)


@db_task(name="ocop.imports.run_import")
def task_run_import(job_pk: int) -> None:
    from ocop.imports.enums import ImportState  # noqa: PLC0415 - tasks are layer 0; models load lazily
    from ocop.imports.models import ImportJob  # noqa: PLC0415 - same
    from ocop.imports.services import fail_stuck_job, run_import  # noqa: PLC0415 - same

    job = ImportJob.objects.filter(pk=job_pk, state=ImportState.IMPORT_QUEUED).first()
    if job is None:  # already handled (a duplicate delivery)
        return
    try:
        with change_context(job.created_by, source="import"):
            run_import(job)
    except Exception as exc:
        logger.exception("Import %s crashed", job_pk)
        fail_stuck_job(job, reason=type(exc).__name__)
