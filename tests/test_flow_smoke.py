CREATE = """
mutation($input: PromoCodeCreateInput!) {
  createPromoCode(input: $input) {
    promoCode { id code name status validityStatus editable deletable discountValue currency events { action actor } }
    errors { field code message }
  }
}"""


async def test_create_enable_list(api):
    await api.install_module()
    data = await api.data(CREATE, {"input": {"code": " summer-10 ", "name": " Summer ", "discountMethod": "PERCENTAGE", "discountValue": "12.5"}})
    payload = data["createPromoCode"]
    assert payload["errors"] == []
    code = payload["promoCode"]
    assert code["code"] == "SUMMER-10" and code["name"] == "Summer" and code["discountValue"] == "12.50"
    assert code["events"] == [{"action": "CREATED", "actor": "admin@broker"}]
    data = await api.data("mutation($id: ID!) { enablePromoCode(id: $id) { promoCode { status validityStatus editable deletable } errors { code } } }", {"id": code["id"]})
    assert data["enablePromoCode"]["promoCode"] == {"status": "ENABLED", "validityStatus": "ACTIVE", "editable": False, "deletable": False}
    data = await api.data("{ promoCodes { totalCount edges { cursor node { code } } pageInfo { hasNextPage } } }")
    assert data["promoCodes"]["totalCount"] == 1
