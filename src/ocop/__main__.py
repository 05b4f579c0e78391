"""Entry point for ``uv run ocop <command>``: a thin wrapper around Django's manage.py."""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ocop.settings")
    from django.core.management import execute_from_command_line  # noqa: PLC0415 - after settings env

    execute_from_command_line(argv if argv is not None else sys.argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
