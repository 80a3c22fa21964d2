"""No "Did you mean ...?" in errors for callers without a valid token; callers with one keep the
hints; introspection stays open to everyone (partners build from it)."""
from __future__ import annotations

import pytest

from suggestions import hide_suggestions, without_suggestion

TYPO_FIELD = "{ promoCodez { totalCount } }"
TYPO_ARGUMENT = '{ promoCode(kode: "X") { id } }'
TYPO_ENUM = "{ promoCodes(sortBy: CREATED) { totalCount } }"
TYPO_INPUT_FIELD = '{ promoCodes(filter: {serch: "x"}) { totalCount } }'
TYPO_VARIABLE_ENUM = "query($s: PromoCodeSortField) { promoCodes(sortBy: $s) { totalCount } }"
CASES = [(TYPO_FIELD, None), (TYPO_ARGUMENT, None), (TYPO_ENUM, None), (TYPO_INPUT_FIELD, None), (TYPO_VARIABLE_ENUM, {"s": "CREATED"})]


def messages(body: dict) -> list[str]:
    assert body.get("errors"), body
    return [error["message"] for error in body["errors"]]


@pytest.mark.parametrize(("query", "variables"), CASES)
@pytest.mark.parametrize("token", [None, "not-a-jwt", "wrong-secret"])
async def test_a_caller_without_a_valid_token_gets_no_suggestions(api, query, variables, token):
    if token == "wrong-secret":
        token = api.staff_token().rsplit(".", 1)[0] + ".AAAA"
    found = messages(await api.post(query, variables, token))
    assert not any("Did you mean" in message for message in found), found


@pytest.mark.parametrize(("query", "variables"), CASES)
async def test_a_caller_with_a_valid_token_keeps_the_suggestions(api, query, variables):
    found = messages(await api.post(query, variables, api.staff_token("READ_PROMO_CODES")))
    assert any("Did you mean" in message for message in found), found


async def test_an_anonymous_probe_does_not_strip_the_hints_of_a_later_caller(api):
    """Validation results are cached per document: hiding must not edit the cached errors."""
    await api.post(TYPO_FIELD, token=None)
    assert any("Did you mean" in m for m in messages(await api.post(TYPO_FIELD, token=api.admin)))


async def test_introspection_needs_no_token(api):
    body = await api.post("{ __schema { queryType { name } types { name } } }", token=None)
    assert "errors" not in body
    assert "PromoCode" in {t["name"] for t in body["data"]["__schema"]["types"]}


def test_the_suggestion_sentence_is_cut_and_the_rest_kept():
    message = "Cannot query field 'promoCodez' on type 'Query'. Did you mean 'promoCode' or 'promoCodes'?"
    assert without_suggestion(message) == "Cannot query field 'promoCodez' on type 'Query'."
    assert without_suggestion("Syntax Error: Unexpected Name 'x'.") == "Syntax Error: Unexpected Name 'x'."


def test_hiding_leaves_the_response_given_untouched():
    response = {"data": None, "errors": [{"message": "Unknown argument 'kode'. Did you mean 'code'?", "locations": []}]}
    hidden = hide_suggestions(response)
    assert hidden["errors"] == [{"message": "Unknown argument 'kode'.", "locations": []}]
    assert response["errors"][0]["message"].endswith("Did you mean 'code'?")


def test_a_suggestion_in_the_middle_of_a_message_is_cut_too():
    message = "Expected value of type 'PromoCodeFilter' not to include unknown field 'serch'. Did you mean 'search'? Found: { serch: \"x\" }."
    assert without_suggestion(message) == "Expected value of type 'PromoCodeFilter' not to include unknown field 'serch'. Found: { serch: \"x\" }."
