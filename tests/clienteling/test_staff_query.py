"""Reading what the staff typed into the search: an e-mail address or a phone number."""

from __future__ import annotations

import re

import pytest

from configurator.clienteling.errors import StaffCode, StaffRefused
from configurator.clienteling.selectors import Query, _phone_regex, query_parse


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        (" Lan@Example.VN ", Query("email", "lan@example.vn")),
        ("0901 234 567", Query("phone", "901234567")),
        ("+84 901 234 567", Query("phone", "901234567")),
        ("84901234567", Query("phone", "901234567")),
        ("(024) 3825.1234", Query("phone", "2438251234")),  # a Hà Nội landline
        ("901234567", Query("phone", "901234567")),
        ("+1 415-555-0100", Query("phone", "14155550100", international=True)),
    ],
)
def test_query_parse_reads_emails_and_phones_however_written(typed, query):
    assert query_parse(typed) == query


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", StaffCode.QUERY_UNREADABLE),
        ("Nguyễn Lan", StaffCode.QUERY_UNREADABLE),
        ("0901 23", StaffCode.QUERY_UNREADABLE),
        ("lan@@example", StaffCode.QUERY_UNREADABLE),
        ("０９０１２３４５６７", StaffCode.QUERY_UNREADABLE),  # full-width digits
        ("1" * 255, StaffCode.QUERY_TOO_LONG),
    ],
)
def test_query_parse_refuses_the_rest_with_a_code(typed, code):
    with pytest.raises(StaffRefused) as refused:
        query_parse(typed)
    assert (refused.value.code, refused.value.field) == (code, "query")


@pytest.mark.parametrize(
    ("stored", "matches"),
    [
        ("0901234567", True),
        ("0901 234 567", True),
        ("+84 90 123 45 67", True),
        ("(+84) 901-234-567", True),
        ("84901234567 ", True),
        ("0901234568", False),
        ("10901234567", False),  # another number that ends the same
        ("0901234567 ext 2", False),
    ],
)
def test_the_phone_pattern_matches_the_number_as_stored_exactly(stored, matches):
    pattern = _phone_regex(query_parse("090.123.4567"))
    assert bool(re.search(pattern, stored)) is matches
