"""Refusals of carts and checkouts, with their codes."""

from __future__ import annotations

from enum import StrEnum

from configurator.errors import ApplicationError


class CheckoutCode(StrEnum):
    KEY_REQUIRED = "checkout.E001"
    UNKNOWN_PAYMENT = "checkout.E002"
    LINE_NO_LONGER_VALID = "checkout.E003"
    CART_EMPTY = "checkout.E004"
    KEY_OF_ANOTHER_ORDER = "checkout.E005"
    KEY_REUSED = "checkout.E006"  # the same key with other details
    MIXED_CURRENCIES = "checkout.E007"
    PRODUCT_PREPARING = "checkout.E008"  # a line's version is not compiled yet
    UNKNOWN_PROVINCE = "checkout.E009"  # not one of the 34 provinces, by code or name
    WARD_NOT_IN_PROVINCE = "checkout.E010"  # not a ward or commune of that province
    CART_CURRENCY = "cart.E001"  # a product in another currency than the cart's


class CheckoutRefused(ApplicationError):
    """Why a line cannot be added or an order cannot be placed; nothing was written."""
