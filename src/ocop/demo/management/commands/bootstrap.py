from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from ocop.demo.data import DEMO_USERS


class Command(BaseCommand):
    help = (
        "Apply migrations, load reference data (administrative maps, roles) and, unless --no-demo, "
        "the demo data set. Idempotent: safe to run on every start."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="Load reference data only.")
        parser.add_argument("--no-migrate", action="store_true", help="Do not apply migrations first.")

    def handle(self, *args, **options):
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0, stdout=self.stdout)
        call_command("load_admin_units", stdout=self.stdout)
        call_command("load_roles", stdout=self.stdout)
        call_command("load_legal_bases", stdout=self.stdout)
        call_command("load_registry_reference", stdout=self.stdout)
        call_command("load_rubrics", stdout=self.stdout)
        if options["no_demo"]:
            return
        call_command("load_demo_data", stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password for all: {settings.OCOP_DEMO_PASSWORD})")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user['username']:<18} {user['description']}")
