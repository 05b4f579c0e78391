import factory

from ocop.producers.services import create_producer


class ProducerFactory(factory.Factory):
    """Builds producers through the service, so scope fields are derived as in production."""

    class Meta:
        model = dict

    name = factory.Sequence(lambda n: f"HTX Thử nghiệm số {n}")
    legal_form = "cooperative"
    address_unit = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return create_producer(**kwargs)

    @classmethod
    def _build(cls, model_class, **kwargs):
        raise NotImplementedError("ProducerFactory only creates (through the service)")
