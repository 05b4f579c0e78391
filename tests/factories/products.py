import factory

from ocop.products.services import create_product


class ProductFactory(factory.Factory):
    class Meta:
        model = dict

    name = factory.Sequence(lambda n: f"Sản phẩm thử {n}")
    producer = None

    @classmethod
    def _create(cls, model_class, **kwargs):
        return create_product(**kwargs)
