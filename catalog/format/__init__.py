"""The option-set/1 interchange format: read and validate a document before anything is written.

:func:`parse_option_set` checks the whole document (format tag, product, groups, values, rules
and the catalog's extension keys) and either returns an :class:`OptionSetData`, a normalized
in-memory copy ready to be written, or raises :class:`OptionSetFormatError` listing every
problem with a stable ``format.E0xx`` code and its JSON path. The format and the canonical form
that exports produce are described in ``docs/option-set-format.md``.

The package follows the document's seams: :mod:`.codes` (constants, codes, the error),
:mod:`.data` (what a valid document reads as), :mod:`.shapes` (generic readers),
:mod:`.groups`, :mod:`.rules` and :mod:`.layers` (one reader each), and :mod:`.document`
(the import's limits, then the whole document).
"""

from .codes import (
    ANY,
    FORMAT_CODES,
    FORMAT_TAG,
    IMAGE_FORMATS,
    INT,
    LANGUAGES,
    MAX_AMOUNT,
    MAX_VIEWS,
    PRESENT,
    SMALL_INT,
    OptionSetFormatError,
)
from .data import (
    GroupData,
    LayerData,
    Names,
    OptionSetData,
    ProductData,
    RuleData,
    ValueData,
    ViewData,
)
from .document import parse_option_set
from .shapes import key_path

__all__ = [
    "ANY",
    "FORMAT_CODES",
    "FORMAT_TAG",
    "IMAGE_FORMATS",
    "INT",
    "LANGUAGES",
    "MAX_AMOUNT",
    "MAX_VIEWS",
    "PRESENT",
    "SMALL_INT",
    "GroupData",
    "LayerData",
    "Names",
    "OptionSetData",
    "OptionSetFormatError",
    "ProductData",
    "RuleData",
    "ValueData",
    "ViewData",
    "key_path",
    "parse_option_set",
]
