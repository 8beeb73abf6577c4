"""Reading a whole document: the import's limits first, then product, groups, rules, layers."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..limits import document_limits
from ..money import Currency
from .codes import FORMAT_TAG, SMALL_INT, OptionSetFormatError
from .data import OptionSetData, ProductData
from .groups import GroupReader
from .layers import LayerReader, default_view
from .rules import RuleReader
from .shapes import show

PERCENT_RE = re.compile(r"^[0-9]{1,2}(\.[0-9]{1,2})?$")


def parse_option_set(document: Any) -> OptionSetData:
    """The validated, normalized content of ``document``.

    Raises :class:`OptionSetFormatError` with every problem found; nothing is returned
    unless the whole document is valid. A document over the import's limits
    (:mod:`catalog.limits`) is refused with those problems alone, before it is walked.
    """
    if over := document_limits(document):
        raise OptionSetFormatError(over)
    parser = DocumentReader()
    data = parser.document(document)
    if parser.problems or data is None:
        raise OptionSetFormatError(parser.problems)
    return data


class DocumentReader(GroupReader, RuleReader, LayerReader):
    """Walks a document once, collecting every problem instead of stopping at the first."""

    def document(self, raw: Any) -> OptionSetData | None:
        if not isinstance(raw, dict):
            self.add("format.E001", "$", "The document must be a JSON object.")
            return None
        if raw.get("format") != FORMAT_TAG:
            self.add("format.E002", "$.format", f'The format must be "{FORMAT_TAG}".')
        self.keys(raw, "$", required=("format", "product", "groups"), optional=("rules",))
        extensions = self.strict_extensions(raw, "$", ("note", "preview_layers", "views"))
        product = self.product(raw.get("product"))
        groups = self.groups(raw.get("groups", []))
        by_code = {group.code: group for group in groups}
        rules = self.rules(raw.get("rules", []), by_code)
        note = self.text(extensions.get("note"), "$.extensions.note", max_length=200)
        views = self.views(extensions.get("views"))
        layers = self.layers(extensions.get("preview_layers", []), by_code, views)
        if layers and not views:  # a document from before views: its layers are the front
            views = (default_view(),)
        if product is None:
            return None
        return OptionSetData(
            product=product, groups=groups, rules=rules, note=note, layers=layers, views=views
        )

    def product(self, raw: Any) -> ProductData | None:
        path = "$.product"
        if raw is None or (raw := self.obj(raw, path, "The product")) is None:
            return None
        self.keys(
            raw,
            path,
            required=("sku", "name", "base_price", "currency"),
            optional=("max_visible_values", "base_cost", "min_margin"),
        )
        currency = raw.get("currency")
        if currency is not None and currency not in Currency.values:
            self.add(
                "format.E011",
                f"{path}.currency",
                f"Unknown currency {show(currency)}; use one of {', '.join(Currency.values)}.",
            )
        elif isinstance(currency, str):
            self.currency = currency
        extensions = self.strict_extensions(raw, path, ("active", "description"))
        sku = self.code(raw.get("sku"), f"{path}.sku", "format.E010", "The SKU")
        base_price = self.amount(raw.get("base_price"), f"{path}.base_price", negative=False)
        base_cost = self.amount(raw.get("base_cost"), f"{path}.base_cost", negative=False)
        return ProductData(
            sku=sku or "",
            name=self.names(raw.get("name"), f"{path}.name", required=True, max_length=200),
            base_price=base_price if base_price is not None else Decimal(0),
            currency=self.currency or "",
            max_visible_values=self.integer(
                raw.get("max_visible_values"), f"{path}.max_visible_values", low=1, high=SMALL_INT
            ),
            description=self.names(
                extensions.get("description"),
                f"{path}.extensions.description",
                required=False,
                max_length=100_000,
            ),
            active=self.boolean(
                extensions.get("active"), f"{path}.extensions.active", default=True
            ),
            base_cost=base_cost if base_cost is not None else Decimal(0),
            min_margin=self.percent(raw.get("min_margin"), f"{path}.min_margin"),
        )

    def percent(self, raw: Any, path: str) -> Decimal | None:
        """A minimum margin: a decimal string from 0 to 99.99, at most two decimals."""
        if raw is None:
            return None
        if isinstance(raw, str) and PERCENT_RE.match(raw) and Decimal(raw) < 100:
            return Decimal(raw)
        self.add(
            "format.E015",
            path,
            f'Write a percent from "0" to "99.99" with at most two decimals, not {show(raw)}.',
        )
        return None
