from django.core.management.base import BaseCommand

from ocop.accounts.services import load_roles
from ocop.core.context import change_context


class Command(BaseCommand):
    help = "Create or update the roles described in accounts/data/roles.json. Idempotent."

    def handle(self, *args, **options):
        with change_context(source="command"):
            roles = load_roles()
        self.stdout.write(f"Roles: {len(roles)} loaded")
