"""What a validated option-set/1 document reads as: frozen dataclasses, in the shape the catalog
stores them."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True, slots=True)
class Names:
    """Texts in the two languages the catalog stores; ``""`` where a language is missing."""

    vi: str = ""
    en: str = ""


@dataclass(frozen=True, slots=True)
class ValueData:
    code: str
    name: Names
    price_delta: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    production_code: str = ""
    swatch: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    default: bool = False
    active: bool = True
    image: str = ""
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GroupData:
    code: str
    name: Names
    kind: str
    values: tuple[ValueData, ...] = ()
    step: int | None = None
    required: bool = True
    max_visible_values: int | None = None
    help: Names = Names()
    curated_order: bool = False
    min: int | None = None
    max: int | None = None
    max_length: int | None = None
    pattern: str = ""
    price_delta: Decimal | None = None
    price_per_char: Decimal | None = None
    cost: Decimal | None = None
    cost_per_char: Decimal | None = None
    max_bytes: int | None = None
    min_width: int | None = None
    min_height: int | None = None
    formats: tuple[str, ...] = ()
    number_min: Decimal | None = None
    number_max: Decimal | None = None
    number_increment: Decimal | None = None
    number_default: Decimal | None = None
    unit: str = ""
    price_per_unit: Decimal | None = None
    price_formula: str = ""
    extensions: dict[str, Any] = field(default_factory=dict)
    library: str = ""  # the code of the shared library the values come from


@dataclass(frozen=True, slots=True)
class RuleData:
    kind: str
    id: str = ""
    message: Names = Names()
    groups: tuple[str, ...] = ()
    rows: list[list[str | None]] = field(default_factory=list)
    if_: dict[str, list[str]] = field(default_factory=dict)
    then: dict[str, list[str]] = field(default_factory=dict)
    extensions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ViewData:
    code: str
    name: Names
    prints: bool = True


@dataclass(frozen=True, slots=True)
class LayerData:
    kind: str
    view: str = ""
    group: str | None = None
    value: str | None = None
    image: str = ""
    font: str = ""
    text_color: str = ""
    color_group: str | None = None
    font_group: str | None = None
    x: int = 0
    y: int = 0
    width: int | None = None
    height: int | None = None
    print_dpi: int = 300
    print_width_mm: int | None = None
    print_height_mm: int | None = None


@dataclass(frozen=True, slots=True)
class ProductData:
    sku: str
    name: Names
    base_price: Decimal
    currency: str
    max_visible_values: int | None = None
    description: Names = Names()
    active: bool = True
    base_cost: Decimal = Decimal(0)
    min_margin: Decimal | None = None


@dataclass(frozen=True, slots=True)
class OptionSetData:
    """A validated option-set/1 document, in the shape the catalog stores it."""

    product: ProductData
    groups: tuple[GroupData, ...]
    rules: tuple[RuleData, ...]
    note: str = ""
    layers: tuple[LayerData, ...] = ()
    #: The views, in order; never empty when there are layers (old documents: the default).
    views: tuple[ViewData, ...] = ()
