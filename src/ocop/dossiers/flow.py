"""The producer's dossier wizard as step objects (pretalx ``cfp/flow``): one topic per page.

Each step knows its identifier, its title and whether it is complete (no blocking item of the
completeness check points at it). The draft lives on the server; the wizard only moves between
pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Step:
    identifier: str
    title: str
    subtitle: str

    def is_completed(self, missing) -> bool:
        return not any(item.step == self.identifier and item.blocking for item in missing)

    def warnings(self, missing) -> list:
        return [item for item in missing if item.step == self.identifier]


STEPS: tuple[Step, ...] = (
    Step("registration", _("Registration"), _("Mẫu 01: registering unit, product, samples")),
    Step("general", _("General information"), _("Mẫu 02 Part I: producer and legal papers")),
    Step("results", _("Business results"), _("Mẫu 02 Part II: results of the business plan")),
    Step("scoring", _("Self-scoring"), _("Mẫu 02 Part III: criteria and evidence")),
    Step("plan", _("Plan ahead"), _("Mẫu 02 Part IV: the business plan ahead")),
    Step("review", _("Check and submit"), _("What is still missing, then submit")),
)
STEP_IDS = tuple(step.identifier for step in STEPS)


def get_step(identifier: str) -> Step | None:
    return next((step for step in STEPS if step.identifier == identifier), None)


def next_step(identifier: str) -> Step | None:
    index = STEP_IDS.index(identifier)
    return STEPS[index + 1] if index + 1 < len(STEPS) else None


def previous_step(identifier: str) -> Step | None:
    index = STEP_IDS.index(identifier)
    return STEPS[index - 1] if index > 0 else None
