"""``{% money amount currency %}``: an amount formatted for the active language."""

from decimal import Decimal

from django import template
from django.utils.translation import get_language

from catalog.money import money_display

register = template.Library()


@register.simple_tag
def money(amount: Decimal | str | None, currency: str) -> str:
    if amount in (None, ""):
        return ""
    return money_display(Decimal(str(amount)), currency, get_language() or "vi")
