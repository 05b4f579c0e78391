from django.db import models
from django.utils.translation import pgettext_lazy


class ChangeAction(models.TextChoices):
    CREATE = "create", pgettext_lazy("audit action", "Created")
    UPDATE = "update", pgettext_lazy("audit action", "Updated")
    DELETE = "delete", pgettext_lazy("audit action", "Deleted")

    def get_color(self) -> str:
        return {"create": "success", "update": "primary", "delete": "danger"}[self.value]
