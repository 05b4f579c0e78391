import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from ocop.imports.models import ImportJob, progress_key
from ocop.imports.selectors import import_jobs_for_user, job_progress
from tests.factories.accounts import UserFactory
from tests.utils import make_user_with_role

pytestmark = [pytest.mark.integration, pytest.mark.django_db]


def _job(user, name, **fields) -> ImportJob:
    job = ImportJob(kind="producers", file=f"imports/producers/{name}", original_filename=name, **fields)
    job.created_by = user
    job.save()
    return job


@pytest.fixture
def jobs(units):
    province = make_user_with_role("province-agency", units.bac_ninh)
    commune = make_user_with_role("commune-officer", units.yen_the)
    return {
        "province": province,
        "commune": commune,
        "first": _job(province, "dot-1.xlsx"),
        "second": _job(province, "dot-2.xlsx"),
        "theirs": _job(commune, "xa.xlsx"),
    }


def test_users_see_only_their_own_jobs_newest_first(jobs):
    assert list(import_jobs_for_user(jobs["province"])) == [jobs["second"], jobs["first"]]
    assert list(import_jobs_for_user(jobs["commune"])) == [jobs["theirs"]]
    assert list(import_jobs_for_user(make_user_with_role(None))) == []


def test_superusers_see_every_job_and_anonymous_users_none(jobs):
    assert list(import_jobs_for_user(UserFactory(is_superuser=True))) == [
        jobs["theirs"],
        jobs["second"],
        jobs["first"],
    ]
    assert list(import_jobs_for_user(AnonymousUser())) == []


def test_import_jobs_load_their_creator(jobs, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert [j.created_by.username for j in import_jobs_for_user(jobs["province"])] == [
            jobs["province"].username,
            jobs["province"].username,
        ]


@pytest.mark.parametrize(
    ("state", "valid_only", "expected"),
    [
        ("queued", False, (0, 0)),
        ("checking", False, (120, 300)),  # the row counter on the job
        ("checked", False, (300, 300)),
        ("import_queued", False, (40, 300)),  # the cache while the write transaction is open
        ("importing", False, (40, 300)),
        ("importing", True, (40, 250)),  # only the valid rows are written
        ("done", True, (250, 300)),
        ("failed", False, (0, 300)),
    ],
)
def test_job_progress(jobs, state, valid_only, expected):
    processed = {"queued": 0, "checking": 120, "checked": 300, "done": 250, "failed": 0}.get(state, 0)
    job = _job(
        jobs["province"],
        "dot-3.xlsx",
        state=state,
        total_rows=0 if state == "queued" else 300,
        processed_rows=processed,
        valid_row_count=250,
        import_valid_only=valid_only,
    )
    cache.set(progress_key(job.pk), 40)
    try:
        assert job_progress(job) == expected
    finally:
        cache.delete(progress_key(job.pk))


def test_job_progress_without_a_cached_count_is_zero(jobs):
    job = _job(jobs["province"], "dot-4.xlsx", state="importing", total_rows=10)
    assert job_progress(job) == (0, 10)


def test_progress_key():
    assert progress_key(42) == "imports:progress:42"
