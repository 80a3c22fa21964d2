"""Free-text checks: an e-mail address names exactly one mailbox."""
from __future__ import annotations

import pytest

from domain.errors import ErrorCollector
from domain.text import clean_email


@pytest.mark.parametrize(
    "address",
    ["ann@example.test", "o'brien+promo@mail.example.com", "x@exämple.com", "Élodie@example.fr", "  ann@example.test  "],
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
    ],
)
def test_anything_that_is_not_one_plain_mailbox_is_invalid(address):
    errors = ErrorCollector()
    assert clean_email(address, "email", errors) is None
