"""``ocop.settings`` read from the environment: development defaults and production fail-fast checks.

Each case starts a fresh interpreter, because settings are evaluated once per process. The child
environment is the parent's minus every ``DJANGO_*``, ``OCOP_*`` and ``DATABASE_URL`` variable, so
the suite's own configuration (``settings_test``, a PostgreSQL ``DATABASE_URL`` in CI) cannot leak in.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
SETUP = "import django; django.setup()"
REQUIRED_IN_PRODUCTION = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL")


def clean_env(**variables: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "OCOP_")) and key != "DATABASE_URL"
    }
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SRC), env.get("PYTHONPATH", "")]))
    env["DJANGO_SETTINGS_MODULE"] = "ocop.settings"
    env.update(variables)
    return env


def run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False
    )


def skip_if_dotenv_sets(*names: str) -> None:
    """settings.py also reads ``<repo>/.env``; a developer's copy would mask a missing variable."""
    dotenv = ROOT / ".env"
    if not dotenv.exists():
        return
    assigned = {line.split("=", 1)[0].strip() for line in dotenv.read_text().splitlines() if "=" in line}
    assigned = {name.removeprefix("export ").strip() for name in assigned if not name.lstrip().startswith("#")}
    if clash := sorted(assigned & set(names)):
        pytest.skip(f"{dotenv} sets {', '.join(clash)}")


@pytest.fixture
def production_env(tmp_path: Path) -> dict[str, str]:
    """Everything production needs, with a database that exists only for this test."""
    return clean_env(
        OCOP_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64)[:50],
        DJANGO_ALLOWED_HOSTS="ocop.example.gov.vn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}",
    )


@pytest.mark.parametrize("missing", REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without_required_variable(production_env, tmp_path, missing):
    skip_if_dotenv_sets(missing)
    del production_env[missing]

    result = run(["-c", SETUP], production_env, tmp_path)

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line == (
        f"django.core.exceptions.ImproperlyConfigured: {missing} must be set when OCOP_ENV=production "
        "(see .env.example)"
    )


@pytest.mark.parametrize("missing", REQUIRED_IN_PRODUCTION)
def test_production_treats_an_empty_variable_as_missing(production_env, tmp_path, missing):
    production_env[missing] = ""

    result = run(["-c", SETUP], production_env, tmp_path)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {missing} must be set" in result.stderr


def test_production_with_required_variables_passes_the_deploy_check(production_env, tmp_path):
    result = run(["-m", "ocop", "check", "--deploy", "--fail-level", "WARNING"], production_env, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_turns_on_the_secure_defaults(production_env, tmp_path):
    script = (
        f"{SETUP}; import json; from django.conf import settings as s; "
        "print(json.dumps({'debug': s.DEBUG, 'session_secure': s.SESSION_COOKIE_SECURE, "
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'ssl_redirect': s.SECURE_SSL_REDIRECT, "
        "'hsts': s.SECURE_HSTS_SECONDS, 'hosts': s.ALLOWED_HOSTS}))"
    )

    result = run(["-c", script], production_env, tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "debug": False,
        "session_secure": True,
        "csrf_secure": True,
        "ssl_redirect": True,
        "hsts": 31536000,
        "hosts": ["ocop.example.gov.vn"],
    }


def test_deploy_check_rejects_a_weak_secret_key(production_env, tmp_path):
    production_env["DJANGO_SECRET_KEY"] = "too-short"

    result = run(["-m", "ocop", "check", "--deploy", "--fail-level", "WARNING"], production_env, tmp_path)

    assert result.returncode != 0
    assert "security.W009" in result.stderr


@pytest.mark.parametrize("value", ["staging", "prod", "Production", ""])
def test_unknown_ocop_env_is_refused(tmp_path, value):
    result = run(["-c", SETUP], clean_env(OCOP_ENV=value), tmp_path)

    assert result.returncode != 0
    assert result.stderr.strip().splitlines()[-1] == (
        f"django.core.exceptions.ImproperlyConfigured: OCOP_ENV must be development, production or test, not {value!r}"
    )


def test_development_defaults(tmp_path):
    skip_if_dotenv_sets("OCOP_ENV", "DJANGO_DEBUG", "DATABASE_URL")
    script = (
        f"{SETUP}; import json; from django.conf import settings as s; "
        "print(json.dumps({'env': s.OCOP_ENV, 'debug': s.DEBUG, 'tz': s.TIME_ZONE, 'lang': s.LANGUAGE_CODE, "
        "'use_tz': s.USE_TZ, 'engine': s.DATABASES['default']['ENGINE'], "
        "'db': str(s.DATABASES['default']['NAME']), 'secure_ssl_redirect': s.SECURE_SSL_REDIRECT}))"
    )

    result = run(["-c", script], clean_env(), tmp_path)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "env": "development",
        "debug": True,
        "tz": "Asia/Ho_Chi_Minh",
        "lang": "vi",
        "use_tz": True,
        "engine": "django.db.backends.sqlite3",
        "db": str(ROOT / "var" / "ocop.sqlite3"),
        "secure_ssl_redirect": False,
    }
