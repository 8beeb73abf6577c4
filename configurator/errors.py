"""One error type for the domain's refusals.

Domain code (selections, designs, uploads, carts, checkout, imports) raises an
:class:`ApplicationError` subclass with a stable ``code`` (a member of its app's code enum,
a ``StrEnum``, so it is also the code's string), a ``detail`` for people and the offending
``field`` (a dotted path). It never names an HTTP status: the API's exception handler turns
a code into one (``configurator/api/errors.py``), and the HTML views show the detail beside
the field (``configurator/pages.py``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ApplicationError(Exception):
    """A refusal: nothing was written. ``errors`` lists every problem when there are many
    (the first one is ``code``/``field``); ``retry_after`` says when trying again may work."""

    def __init__(
        self,
        code: str,
        detail: str,
        field: str | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(str(code), detail, field)
        self.code = str(code)
        self.detail = detail
        self.field = field
        self.errors = errors
        self.retry_after = retry_after

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ApplicationError):
            return NotImplemented
        return (type(self), self.args) == (type(other), other.args)

    def __hash__(self) -> int:
        return hash((type(self), self.args))

    def __str__(self) -> str:
        return self.detail


__all__ = ["ApplicationError", "StrEnum"]
