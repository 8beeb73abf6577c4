"""Vietnamese addresses and phone numbers as a shopper writes them at checkout.

Addresses follow the 2025 reform: 34 provinces and centrally run cities, each divided
directly into wards and communes (two levels, no districts). The list comes from the
``vietnam-provinces`` package (data of 2025-10, the official codes of the General Statistics
Office), not from a hand-kept table: when the state merges or renames a ward, upgrading the
package is the whole change. Phone numbers are read by ``phonenumbers`` (Google's
libphonenumber metadata), which knows Vietnam's mobile and landline ranges, and kept in
E.164 (``+84912345678``).
"""

from __future__ import annotations

import functools
import unicodedata

import phonenumbers
from django.utils.translation import gettext as _
from vietnam_provinces import Province, ProvinceCode, Ward, WardCode

# Codes as the form sends them: the official numbers, as text ("1", "79", "26506").
Division = tuple[str, str]  # (code, name)

# Left out when sorting, so that a place is found under its own name.
_PREFIXES = ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu ")


def _sort_key(name: str) -> str:
    """Alphabetical as a shopper looks: "Thành phố Hồ Chí Minh" under H, accents ignored."""
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
    plain = unicodedata.normalize("NFD", name.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


@functools.cache
def provinces() -> tuple[Division, ...]:
    """The 34 provinces and cities, alphabetical."""
    return tuple(
        sorted(
            ((str(p.code.value), p.name) for p in Province.iter_all()),
            key=lambda d: _sort_key(d[1]),
        )
    )


@functools.cache
def wards(province_code: str) -> tuple[Division, ...]:
    """The wards and communes of a province, alphabetical; empty for an unknown code."""
    code = _province_code(province_code)
    if code is None:
        return ()
    return tuple(
        sorted(
            ((str(w.code.value), w.name) for w in Ward.iter_by_province(code)),
            key=lambda d: _sort_key(d[1]),
        )
    )


def province_name(province_code: str) -> str | None:
    code = _province_code(province_code)
    return Province.from_code(code).name if code is not None else None


def ward_name(ward_code: str, *, province_code: str) -> str | None:
    """The ward's name when it is one of the province's, else None."""
    province = _province_code(province_code)
    if province is None or not ward_code.isdigit() or len(ward_code) > 6:
        return None
    try:
        ward = Ward.from_code(WardCode(int(ward_code)))
    except (ValueError, KeyError):
        return None
    return ward.name if ward.province_code == province else None


@functools.cache
def _provinces_by_name() -> dict[str, str]:
    return {_sort_key(name): code for code, name in provinces()}


def province_find(text: str) -> str | None:
    """The code of the province ``text`` stands for: its code ("79") or its name as people
    write it ("Hồ Chí Minh", "Thành phố Hà Nội", "ha noi": accents, case and the "Thành
    phố"/"Tỉnh" prefix aside); None for anything else."""
    text = " ".join(text.split())
    if len(text) > 80:
        return None
    if text.isdigit():
        code = str(int(text))
        return code if province_name(code) else None
    return _provinces_by_name().get(_sort_key(text))


def address_resolve(*, province: str, ward: str) -> dict[str, str]:
    """The province (and ward, when given) as the checkout stores them, by code and
    official name; raises :class:`CheckoutRefused` (``checkout.E010`` field ``province``,
    ``checkout.E011`` field ``ward``) for one that is not on the official list."""
    from .errors import CheckoutCode, CheckoutRefused

    code = province_find(province)
    if code is None:
        raise CheckoutRefused(
            CheckoutCode.UNKNOWN_PROVINCE,
            _("Choose one of the 34 provinces and cities, by its code or its name."),
            "province",
        )
    name = province_name(code) or ""
    found = {"province": name, "province_code": code, "ward": "", "ward_code": ""}
    ward = ward.strip()
    if ward:
        ward_full = ward_name(ward, province_code=code)
        if ward_full is None:
            raise CheckoutRefused(
                CheckoutCode.WARD_NOT_IN_PROVINCE,
                _("This ward or commune is not in %(province)s.") % {"province": name},
                "ward",
            )
        found.update(ward=ward_full, ward_code=str(int(ward)))
    return found


def _province_code(raw: str) -> ProvinceCode | None:
    if not raw.isdigit() or len(raw) > 3:
        return None
    try:
        return ProvinceCode(int(raw))
    except ValueError:
        return None


PHONE_MAX_LENGTH = 20


def phone_e164(raw: str) -> str | None:
    """A Vietnamese phone number in E.164 (``0912 345 678`` -> ``+84912345678``), or None
    when it is not one (too short, not a Vietnamese range, another country's)."""
    if len(raw) > PHONE_MAX_LENGTH:
        return None
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number_for_region(number, "VN"):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
