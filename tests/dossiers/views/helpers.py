"""Shared helpers of the dossier page tests: dossiers brought to a state through the services,
page text, flash messages."""

from __future__ import annotations

import html
import re

from django.contrib.messages import get_messages
from django.urls import reverse

from ocop.dossiers.enums import DossierKind, DossierState
from ocop.dossiers.models import Dossier
from ocop.dossiers.services import (
    accept_dossier,
    create_dossier,
    return_dossier,
    withdraw_dossier,
)
from tests.factories.dossiers import fill_dossier, forwarded_dossier, reviewed_dossier, submitted_dossier

S = DossierState


def draft_dossier(world, *, filled: bool = False) -> Dossier:
    dossier = create_dossier(world.product, kind=DossierKind.FIRST, actor=world.producer_user)
    return fill_dossier(dossier, world.producer_user) if filled else dossier


def in_state(world, state: str) -> Dossier:
    """A dossier brought to ``state`` through the services (filled, so every action is possible)."""
    if state == S.DRAFT:
        return draft_dossier(world, filled=True)
    if state == S.WITHDRAWN:
        draft = draft_dossier(world)
        return withdraw_dossier(draft, actor=world.producer_user, expected_version=draft.version)
    if state == S.SUBMITTED:
        return submitted_dossier(world)
    if state == S.RETURNED:
        dossier = submitted_dossier(world)
        return return_dossier(
            dossier, actor=world.commune_officer, reasons=["Bổ sung ảnh"], expected_version=dossier.version
        )
    if state == S.COMMUNE_REVIEW:
        return reviewed_dossier(world)
    if state == S.FORWARDED:
        return forwarded_dossier(world)
    if state == S.PROVINCE_RETURNED:
        dossier = forwarded_dossier(world)
        return return_dossier(
            dossier, actor=world.province_officer, reasons=["Bổ sung ảnh"], expected_version=dossier.version
        )
    if state == S.ACCEPTED:
        dossier = forwarded_dossier(world)
        return accept_dossier(dossier, actor=world.province_officer, expected_version=dossier.version)
    raise AssertionError(state)


def other_producer(world):
    """The producer of ``world.other_producer_user`` (same commune, another producer)."""
    return world.other_producer_user.memberships.get().producer


def detail_url(dossier) -> str:
    return reverse("dossiers:dossier_detail", kwargs={"pk": dossier.pk})


def step_url(dossier, step: str) -> str:
    return reverse("dossiers:dossier_step", kwargs={"pk": dossier.pk, "step": step})


def evidence_url(dossier, query: str = "") -> str:
    return reverse("dossiers:dossier_evidence", kwargs={"pk": dossier.pk}) + query


def text_of(content: str | bytes) -> str:
    """Visible text of HTML, tags removed and whitespace collapsed."""
    if isinstance(content, bytes):
        content = content.decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", content)).split())


def element_text(response, testid: str, closing: str = "</div>") -> str:
    """The text of the element ``data-testid=testid`` up to its first ``closing`` tag."""
    content = response.content.decode()
    start = content.index(f'data-testid="{testid}"')
    return text_of(content[content.index(">", start) + 1 : content.index(closing, start)])


def has_testid(response, testid: str) -> bool:
    return f'data-testid="{testid}"' in response.content.decode()


def messages_of(response) -> list[str]:
    """The flash messages the request queued (read from the request that added them)."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def page_messages(response) -> list[str]:
    """The flash messages shown on a rendered page (``_messages.html``)."""
    content = response.content.decode()
    return [text_of(match) for match in re.findall(r'data-testid="message">(.*?)<button', content, re.S)]
