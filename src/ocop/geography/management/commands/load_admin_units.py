from django.core.management.base import BaseCommand

from ocop.core.context import change_context
from ocop.geography.services import load_admin_units


class Command(BaseCommand):
    help = "Load or refresh the current (QĐ 19/2025) and legacy administrative maps. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Reload even if this data version is loaded.")

    def handle(self, *args, **options):
        with change_context(source="command"):
            report = load_admin_units(force=options["force"])
        self.stdout.write(f"Administrative units: {report}")
