"""The option-set/1 format's constants, its ``format.E0xx`` codes and the error that lists them.

The import limits' codes (``format.E07x``) live beside the limits, in :mod:`catalog.limits`.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_noop

from ..extensions import Problem

FORMAT_TAG = "option-set/1"
LANGUAGES = ("en", "vi")
ANY = "*"
PRESENT = "present"
IMAGE_FORMATS = ("gif", "jpeg", "png", "webp")
MAX_AMOUNT = Decimal(10) ** 12  # Product and value prices are DecimalField(14, 2).
SMALL_INT = 32767  # PositiveSmallIntegerField
INT = 2147483647  # PositiveIntegerField
MAX_VIEWS = 50  # front, back, sides, details: a product is seen from a handful of views

FORMAT_CODES: dict[str, str] = {
    "format.E001": gettext_noop("The document is not a JSON object."),
    "format.E002": gettext_noop("The format tag is missing or is not “option-set/1”."),
    "format.E003": gettext_noop("Unknown key."),
    "format.E004": gettext_noop("A required key is missing."),
    "format.E005": gettext_noop("A value has the wrong type."),
    "format.E006": gettext_noop(
        "A name, help or message is empty, too long or in an unknown language."
    ),
    "format.E007": gettext_noop("A text is too long."),
    "format.E010": gettext_noop("Invalid SKU."),
    "format.E011": gettext_noop("Unknown currency."),
    "format.E012": gettext_noop("Invalid amount (not a decimal string, or a negative base price)."),
    "format.E013": gettext_noop("An amount has more decimals than the currency allows."),
    "format.E014": gettext_noop("An amount is too large."),
    "format.E015": gettext_noop(
        "A minimum margin is not a percent from 0 to 99.99 with at most two decimals."
    ),
    "format.E020": gettext_noop("Invalid group code."),
    "format.E021": gettext_noop("Duplicate group code."),
    "format.E022": gettext_noop("Unknown group kind."),
    "format.E023": gettext_noop("A field does not belong to the group's kind."),
    "format.E024": gettext_noop("An integer is out of range."),
    "format.E025": gettext_noop("A multi group's min is more than its max."),
    "format.E026": gettext_noop("Invalid regular expression."),
    "format.E027": gettext_noop("Unknown image format."),
    "format.E028": gettext_noop(
        "A regular expression uses what linear-time matching cannot do "
        "(backreferences, lookaround, word boundaries)."
    ),
    "format.E030": gettext_noop("Invalid value code."),
    "format.E031": gettext_noop("Duplicate value code in a group."),
    "format.E032": gettext_noop("More than one default in a choice group."),
    "format.E033": gettext_noop("Invalid swatch colour."),
    "format.E034": gettext_noop("Attributes are not an object of strings."),
    "format.E035": gettext_noop(
        "A measurement is not a decimal string, is too large or has more than 3 decimals."
    ),
    "format.E036": gettext_noop(
        "A measurement group's range is wrong: the smallest is more than the largest, the "
        "increment is not positive, or the largest is not reached by whole increments."
    ),
    "format.E037": gettext_noop("A measurement group has more than 1,000 values."),
    "format.E038": gettext_noop("A measurement group's starting number is not one of its values."),
    "format.E039": gettext_noop(
        "Invalid price formula (syntax, a group that is not a measurement group, division by "
        "anything but a number), or both a price per unit and a formula."
    ),
    "format.E040": gettext_noop("Unknown rule kind."),
    "format.E041": gettext_noop("A table rule's groups are empty or repeat a group."),
    "format.E042": gettext_noop("A rule names an unknown group."),
    "format.E043": gettext_noop("A table rule names a group that is not a choice group."),
    "format.E044": gettext_noop("A table row has the wrong number of cells."),
    "format.E045": gettext_noop("A rule names an unknown value."),
    "format.E046": gettext_noop("A table row leaves a required group empty (null)."),
    "format.E047": gettext_noop("A table cell is neither a value code, “*” nor null."),
    "format.E050": gettext_noop("A condition is not an object naming at least one group."),
    "format.E052": gettext_noop("A condition's value list is empty or not a list of strings."),
    "format.E054": gettext_noop(
        'A text or image group is named in a condition with something else than ["present"].'
    ),
    "format.E055": gettext_noop("Duplicate rule id."),
    "format.E056": gettext_noop(
        "A measurement group is named in a condition with something else than one of its "
        "numbers, a comparison (“>200”) or a range (“100..200”) naming at least one value."
    ),
    "format.E060": gettext_noop("Unknown extension key or wrong extension value."),
    "format.E061": gettext_noop("A preview layer names an unknown kind, group or value."),
    "format.E062": gettext_noop("A view's code is invalid or used twice."),
    "format.E063": gettext_noop("A preview layer names an unknown view."),
    "format.E064": gettext_noop("Too many views."),
    "format.E065": gettext_noop("A group names a shared library that does not exist."),
}


class OptionSetFormatError(Exception):
    """The document is not a valid option-set/1 document; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        shown = "; ".join(f"{p.path}: {p.message} [{p.code}]" for p in self.problems[:5])
        more = len(self.problems) - 5
        super().__init__(shown + (f"; and {more} more" if more > 0 else ""))
