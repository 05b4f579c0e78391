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


class LocaleMiddleware:
    """Vietnamese unless the user picked another language (cookie set by ``set_language``).

    Django's own LocaleMiddleware follows the browser's Accept-Language, which would show English
    to officers whose browsers are set to English; the product is Vietnamese-first (ADR 0005).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings  # noqa: PLC0415 - read at call time (override_settings in tests)
        from django.utils import translation  # noqa: PLC0415 - same reason

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        available = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary = response.get("Vary", "")
        if "Cookie" not in patch_vary:
            response["Vary"] = f"{patch_vary}, Cookie" if patch_vary else "Cookie"
        translation.deactivate()
        return response
