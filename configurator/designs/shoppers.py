"""Who is shopping: a signed-in user, or a guest known by the session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q


@dataclass(frozen=True)
class Shopper:
    user_id: int | None
    session_key: str

    def owns(self) -> Q:
        """A filter for rows this shopper owns (``owner``/``session_key`` columns)."""
        if self.user_id is not None:
            return Q(owner_id=self.user_id)
        return Q(owner__isnull=True, session_key=self.session_key)

    def owner_fields(self) -> dict[str, Any]:
        if self.user_id is not None:
            return {"owner_id": self.user_id, "session_key": ""}
        return {"owner_id": None, "session_key": self.session_key}


def shopper_from_request(request: Any) -> Shopper:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return Shopper(user.pk, "")
    session = request.session
    if not session.session_key:
        session.save()
    return Shopper(None, session.session_key)
