from django.core.management.base import BaseCommand

from ocop.core.context import change_context
from ocop.legal.services import load_legal_bases


class Command(BaseCommand):
    help = "Load the OCOP legal bases (legal/data/legal_bases.json); idempotent."

    def handle(self, *args, **options):
        with change_context(source="command"):
            count = load_legal_bases()
        self.stdout.write(f"Legal bases: {count}")
