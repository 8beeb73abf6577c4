"""Money in a product's currency: Decimal amounts with the currency's own minor unit."""

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .currencies import MINOR_UNITS, minor_units


class Currency(models.TextChoices):
    VND = "VND", _("Vietnamese đồng (₫)")
    USD = "USD", _("US dollar ($)")
    EUR = "EUR", _("Euro (€)")
    JPY = "JPY", _("Japanese yen (¥)")
    GBP = "GBP", _("Pound sterling (£)")
    SGD = "SGD", _("Singapore dollar")
    THB = "THB", _("Thai baht")


__all__ = ["MINOR_UNITS", "Currency", "minor_units"]


def has_valid_decimals(amount: Decimal, currency: str) -> bool:
    """Whether ``amount`` carries no more decimals than ``currency`` allows."""
    exponent = amount.normalize().as_tuple().exponent
    return not isinstance(exponent, int) or -exponent <= minor_units(currency)


def validate_amount(amount: Decimal, currency: str, *, field: str) -> None:
    """Raise ``ValidationError`` on ``field`` when ``amount`` has too many decimals."""
    if amount is not None and not has_valid_decimals(amount, currency):
        places = minor_units(currency)
        raise ValidationError(
            {
                field: ValidationError(
                    _("%(currency)s amounts allow %(places)d decimals."),
                    code="currency_decimals",
                    params={"currency": currency, "places": places},
                )
            }
        )


def quantize(amount: Decimal, currency: str) -> Decimal:
    """``amount`` rounded half-up to the currency's minor unit."""
    return amount.quantize(Decimal(1).scaleb(-minor_units(currency)), rounding=ROUND_HALF_UP)


def money_display(amount: Decimal, currency: str, language: str = "vi") -> str:
    """``amount`` as shoppers read it: "350.000 ₫" in Vietnamese, "$12.50" in English.

    Babel carries CLDR's currency patterns for every locale, which we would otherwise copy
    by hand (and get the non-breaking spaces wrong).
    """
    from babel.numbers import format_currency

    locale = "vi_VN" if language.startswith("vi") else "en_US"
    return format_currency(amount, currency, locale=locale, currency_digits=True)
