"""Text a reader, a publisher or a moderator sends, checked before anything stores it."""

from townsquare.errors import InvalidInput


def storable(text: str) -> bool:
    """False for text no database here can keep: a NUL (PostgreSQL refuses it) or a lone surrogate
    (JSON's "\\ud800" decodes to one, and it has no UTF-8 form)."""
    if "\x00" in text:
        return False
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_storable(text: str, what: str) -> str:
    """`text`, or InvalidInput (code "text_invalid") naming `what` ("A comment", "The title")."""
    if not storable(text):
        raise InvalidInput(
            f"{what} contains characters that are not text (a NUL or a broken character).",
            code="text_invalid",
        )
    return text
