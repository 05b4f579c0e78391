"""Who is acting, and under which request id: read by the audit receivers and ``log_action``.

A ``contextvars.ContextVar`` keeps it per request/thread; management commands and background jobs
enter :func:`change_context` themselves (NetBox ``netbox/context_managers.py``)."""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ChangeContext:
    user: Any = None
    request_id: uuid.UUID = field(default_factory=uuid.uuid4)
    source: str = "web"


_current: ContextVar[ChangeContext | None] = ContextVar("ocop_change_context", default=None)


def current_context() -> ChangeContext | None:
    return _current.get()


def current_user():
    context = _current.get()
    user = context.user if context else None
    if user is not None and getattr(user, "is_authenticated", False):
        return user
    return None


@contextmanager
def change_context(user=None, *, request_id: uuid.UUID | None = None, source: str = "system"):
    token = _current.set(ChangeContext(user=user, request_id=request_id or uuid.uuid4(), source=source))
    try:
        yield _current.get()
    finally:
        _current.reset(token)
