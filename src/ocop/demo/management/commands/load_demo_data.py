from django.core.management.base import BaseCommand

from ocop.core.context import change_context
from ocop.demo.data import load_demo_data


class Command(BaseCommand):
    help = "Load the demo data set (seed localities, producers, products, one user per role). Idempotent."

    def handle(self, *args, **options):
        with change_context(source="command"):
            summary = load_demo_data()
        self.stdout.write(f"Demo data: {summary}")
