"""Typed errors that every entry point turns into the same answer.

An action raises `TownsquareError` with a stable code; the JSON API renders it as
`{"error": {"code": ..., "message": ...}}` with its HTTP status, the pages show the message.
"""


class TownsquareError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status


class InvalidInput(TownsquareError):
    code = "invalid_input"
    status = 400


class NotFound(TownsquareError):
    code = "not_found"
    status = 404


class Forbidden(TownsquareError):
    code = "forbidden"
    status = 403


class Conflict(TownsquareError):
    code = "conflict"
    status = 409


class RateLimited(TownsquareError):
    code = "rate_limited"
    status = 429
