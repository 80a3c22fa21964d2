"""Free-text checks: an e-mail address names exactly one mailbox."""
from __future__ import annotations

import pytest

from domain.errors import ErrorCollector
from domain.text import clean_email, clean_text


@pytest.mark.parametrize(
    "address",
    ["ann@example.test", "o'brien+promo@mail.example.com", "  ann@example.test  "],
)
def test_single_mailboxes_are_accepted_trimmed(address):
    errors = ErrorCollector()
    assert clean_email(address, "email", errors) == address.strip()


@pytest.mark.parametrize(
    "address",
    [
        "ann,bob@example.test",  # two recipients once in a To: header
        "ann;bob@example.test",
        "Ann <ann@example.test>",
        '"ann,bob"@example.test',
        "ann@example",  # no dot in the domain
        "ann@@example.test",
        "ann.@example.test",
        "a..b@example.test",
        "ann@example.test:25",
        "ann@exa mple.test",
        "ann@example.test\r\nBcc: all@example.test",
        "josé@example.com",  # the relay is spoken to without SMTPUTF8
        "x@exämple.com",
    ],
)
def test_anything_that_is_not_one_plain_mailbox_is_invalid(address):
    errors = ErrorCollector()
    assert clean_email(address, "email", errors) is None


@pytest.mark.parametrize("name", ["Bob\r\nBcc: victim@example.com", "Tab\there", "Line\u2028separator", "Nul\x00"])
def test_names_with_control_characters_are_invalid(name):
    errors = ErrorCollector()
    assert clean_text(name, "name", errors, max_length=100, label="Name") is None


def test_names_in_any_script_are_accepted():
    errors = ErrorCollector()
    for name in ("Élodie Müller 山田", "می\u200cنا", "Family deal 👨\u200d👩\u200d👧"):  # joiners are letters' glue
        assert clean_text(f" {name} ", "name", errors, max_length=100, label="Name") == name
