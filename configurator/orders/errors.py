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
    OUT_OF_STOCK = "checkout.E009"  # a chosen value ran out (concurrent checkouts included)
    UNKNOWN_PROVINCE = "checkout.E010"  # not one of the 34 provinces, by code or name
    WARD_NOT_IN_PROVINCE = "checkout.E011"  # not a ward or commune of that province
    NOT_A_VIETNAMESE_PHONE = "checkout.E012"  # the phone is not a Vietnamese number
    CART_CURRENCY = "cart.E001"  # a product in another currency than the cart's


class CheckoutRefused(ApplicationError):
    """Why a line cannot be added or an order cannot be placed; nothing was written."""


class OrderCode(StrEnum):
    ALREADY_CANCELLED = "order.E001"
    NOT_CANCELLABLE = "order.E002"  # shipped orders are not cancelled here


class OrderRefused(ApplicationError):
    """Why an order cannot be changed (cancelled); nothing was written."""
