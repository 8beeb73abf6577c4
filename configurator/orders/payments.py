"""Payment providers behind one interface; "manual" (bank transfer or cash on delivery) built in."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from .models import Order


@dataclass(frozen=True)
class PaymentStart:
    status: str  # "pending" or "paid"
    instructions: dict[str, str] = field(default_factory=dict)  # language -> text
    redirect_url: str = ""


class PaymentProvider(Protocol):
    code: str
    name: dict[str, str]

    def start(self, order: Order) -> PaymentStart: ...


class ManualPayment:
    """Pay on delivery or by bank transfer: the merchant marks the order paid."""

    code = "manual"
    name = {
        "vi": "Chuyển khoản / Thanh toán khi nhận hàng",
        "en": "Bank transfer / pay on delivery",
    }

    def start(self, order: Order) -> PaymentStart:
        return PaymentStart(
            status="pending",
            instructions={
                "vi": f"Chuyển khoản với nội dung “{order.number}”, hoặc trả tiền khi nhận hàng.",
                "en": f"Transfer with the reference “{order.number}”, or pay on delivery.",
            },
        )


_providers: dict[str, PaymentProvider] = {ManualPayment.code: ManualPayment()}


def payment_provider(code: str) -> PaymentProvider | None:
    return _providers.get(code)


def payment_providers() -> tuple[PaymentProvider, ...]:
    return tuple(_providers.values())
