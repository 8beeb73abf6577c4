"""What happens when a guest becomes a known shopper: their designs and cart come along."""

from __future__ import annotations

from django.db import transaction

from configurator.designs.services import designs_claim
from configurator.orders.models import Cart


@transaction.atomic
def shopper_signed_in(*, user_id: int, session_key: str) -> None:
    """Move the guest session's designs, uploads and cart to the account.

    Called by the sign-in and sign-up views with the session key from *before* Django
    rotates it.
    """
    if not session_key:
        return
    designs_claim(user_id=user_id, session_key=session_key)
    guest = Cart.objects.filter(owner__isnull=True, session_key=session_key).first()
    if guest is None:
        return
    mine = Cart.objects.filter(owner_id=user_id).first()
    if mine is None:
        guest.owner_id = user_id
        guest.session_key = ""
        guest.save(update_fields=["owner", "session_key", "updated_at"])
    else:
        guest.lines.update(cart=mine)
        guest.delete()
