"""Catalog models' invariants and money in a currency's minor unit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.models import OptionGroup, OptionSetVersion, OptionValue, Product, VersionStatus
from catalog.money import has_valid_decimals, minor_units, quantize, validate_amount
from tests.fixtures.documents import NOW


@pytest.fixture
def product() -> Product:
    return Product.objects.create(sku="MUG-01", name_vi="Cốc", base_price=Decimal("120000"))


def _refused(create) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


@pytest.mark.django_db
def test_a_product_has_one_draft_at_a_time(product: Product) -> None:
    OptionSetVersion.objects.create(product=product, number=1)

    _refused(lambda: OptionSetVersion.objects.create(product=product, number=2))

    assert OptionSetVersion.objects.count() == 1


@pytest.mark.django_db
def test_version_numbers_are_unique_per_product(product: Product) -> None:
    OptionSetVersion.objects.create(
        product=product, number=1, status=VersionStatus.PUBLISHED, published_at=NOW,
        frozen_product={"sku": "MUG-01"},
    )  # fmt: skip
    other = Product.objects.create(sku="MUG-02", name_vi="Cốc", base_price=Decimal(0))

    _refused(lambda: OptionSetVersion.objects.create(product=product, number=1))
    OptionSetVersion.objects.create(product=other, number=1)

    assert OptionSetVersion.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("published_at", "frozen_product"), [(None, {"sku": "MUG-01"}), (NOW, None), (None, None)]
)
def test_a_published_version_needs_its_date_and_frozen_product(
    product: Product, published_at: object, frozen_product: object
) -> None:
    _refused(
        lambda: OptionSetVersion.objects.create(
            product=product,
            number=1,
            status=VersionStatus.PUBLISHED,
            published_at=published_at,
            frozen_product=frozen_product,
        )
    )

    assert OptionSetVersion.objects.count() == 0


@pytest.mark.django_db
def test_product_price_is_not_negative() -> None:
    _refused(lambda: Product.objects.create(sku="X", name_vi="X", base_price=Decimal(-1)))

    assert Product.objects.count() == 0


@pytest.mark.django_db
def test_group_and_value_codes_are_unique_and_min_is_at_most_max(product: Product) -> None:
    version = OptionSetVersion.objects.create(product=product, number=1)
    group = OptionGroup.objects.create(version=version, code="size", name_vi="Cỡ", kind="multi")
    OptionValue.objects.create(group=group, code="s", name_vi="Nhỏ")

    _refused(lambda: OptionGroup.objects.create(version=version, code="size", kind="choice"))
    _refused(lambda: OptionValue.objects.create(group=group, code="s", name_vi="Nhỏ"))
    _refused(
        lambda: OptionGroup.objects.create(
            version=version, code="extras", kind="multi", min_values=3, max_values=2
        )
    )

    assert (OptionGroup.objects.count(), OptionValue.objects.count()) == (1, 1)


@pytest.mark.django_db
def test_codes_and_swatches_are_validated(product: Product) -> None:
    version = OptionSetVersion.objects.create(product=product, number=1)
    group = OptionGroup(version=version, code="bad code", name_vi="Cỡ", kind="choice")
    value = OptionValue(group=group, code="red", name_vi="Đỏ", swatch="red")

    with pytest.raises(ValidationError) as group_error:
        group.full_clean()
    with pytest.raises(ValidationError) as value_error:
        value.full_clean(exclude=["group"])

    assert group_error.value.error_dict["code"][0].code == "invalid_code"
    assert value_error.value.error_dict["swatch"][0].code == "invalid_swatch"


@pytest.mark.parametrize(
    ("amount", "currency", "valid"),
    [
        ("350000", "VND", True),
        ("350000.00", "VND", True),
        ("350000.5", "VND", False),
        ("12.50", "USD", True),
        ("12.505", "USD", False),
        ("1000", "JPY", True),
        ("0.1", "JPY", False),
    ],
)
def test_amount_decimals_follow_the_currency_minor_unit(
    amount: str, currency: str, valid: bool
) -> None:
    assert has_valid_decimals(Decimal(amount), currency) is valid


def test_validate_amount_names_the_field_and_currency() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_amount(Decimal("1.5"), "VND", field="base_price")

    error = caught.value.error_dict["base_price"][0]
    assert (error.code, error.params) == ("currency_decimals", {"currency": "VND", "places": 0})


def test_quantize_rounds_half_up_to_the_minor_unit() -> None:
    assert quantize(Decimal("1234.5"), "VND") == Decimal("1235")
    assert quantize(Decimal("1.005"), "USD") == Decimal("1.01")
    assert (minor_units("VND"), minor_units("USD"), minor_units("XXX")) == (0, 2, 2)
