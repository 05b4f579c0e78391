from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ocop.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from ocop.core import receivers  # noqa: F401, PLC0415 - connect audit receivers once apps load
