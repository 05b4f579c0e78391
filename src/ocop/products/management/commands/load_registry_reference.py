from django.core.management.base import BaseCommand

from ocop.core.context import change_context
from ocop.producers.services import load_producer_reference_data
from ocop.products.services import load_product_taxonomy


class Command(BaseCommand):
    help = (
        "Load the registry's reference data: ethnic groups, evidence document types, SME size table "
        "(Decree 80/2021) and the product taxonomy per legal basis. Idempotent; run load_legal_bases first."
    )

    def handle(self, *args, **options):
        with change_context(source="command"):
            counts = load_producer_reference_data()
            taxonomy = load_product_taxonomy()
        self.stdout.write(
            f"Ethnic groups: {counts['ethnicities']}, document types: {counts['document_types']}, "
            f"size thresholds: {counts['size_thresholds']}"
        )
        for basis, count in taxonomy.items():
            self.stdout.write(f"Product taxonomy {basis}: {count} categories")
