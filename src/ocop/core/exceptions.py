"""Errors raised by services; views and the API turn them into messages (HackSoft core/exceptions)."""


class ApplicationError(Exception):
    """A business rule refused the operation. ``message`` is shown to the user (Vietnamese)."""

    def __init__(self, message: str, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
