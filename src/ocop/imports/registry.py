"""Which importer handles which kind of spreadsheet (dotted paths keep the apps decoupled)."""

from django.utils.module_loading import import_string

from ocop.core.importing import Importer
from ocop.imports.enums import ImportKind

IMPORTERS: dict[str, str] = {
    ImportKind.PRODUCERS: "ocop.producers.importers.ProducerImporter",
    ImportKind.PRODUCTS: "ocop.products.importers.ProductImporter",
}


def get_importer_class(kind: str) -> type[Importer]:
    return import_string(IMPORTERS[kind])
