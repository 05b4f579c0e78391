"""Request plumbing: a request id on every request and the audit change context."""

import uuid

from ocop.core.context import ChangeContext, _current


class RequestIdMiddleware:
    """Give every request an id (or accept a well-formed ``X-Request-ID``) and echo it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        try:
            request.id = uuid.UUID(incoming)
        except ValueError:
            request.id = uuid.uuid4()
        response = self.get_response(request)
        response["X-Request-ID"] = str(request.id)
        return response


class ChangeContextMiddleware:
    """Expose the authenticated user and request id to the audit receivers for this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current.set(ChangeContext(user=request.user, request_id=request.id, source="web"))
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
