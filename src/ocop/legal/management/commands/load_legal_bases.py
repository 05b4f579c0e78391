from django.core.management.base import BaseCommand

from ocop.legal.services import load_legal_bases


class Command(BaseCommand):
    help = "Load the OCOP legal bases (legal/data/legal_bases.json); idempotent."

    def handle(self, *args, **options):
        count = load_legal_bases()
        self.stdout.write(f"Legal bases: {count}")
