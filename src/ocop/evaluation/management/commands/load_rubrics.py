from django.core.management.base import BaseCommand

from ocop.core.context import change_context
from ocop.evaluation.services import load_rubrics


class Command(BaseCommand):
    help = (
        "Load the criteria sheets in evaluation/data/rubrics (with their errata) as rubric versions. "
        "Idempotent: an unchanged sheet is skipped, a changed one becomes a new version in use."
    )

    def handle(self, *args, **options):
        with change_context(source="load_rubrics"):
            counts = load_rubrics()
        self.stdout.write(f"Criteria sheets: {counts['created']} new versions, {counts['unchanged']} unchanged.")
