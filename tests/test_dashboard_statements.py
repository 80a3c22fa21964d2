"""The dashboard's nested lists cost a constant number of SQL statements, whatever the page sizes."""
from tests.checkout_helpers import make_challenge, make_client, make_code, purchase
from tests.notifying import notify

DASHBOARD = """query($codes: Int!, $clients: Int!) {
  promoCodes(first: $codes) { totalCount edges { node {
    code events { action }
    statistics { totalRedeemed uniqueClients notifiedClients totalDiscount { amount currency } lastRedeemedAt }
    redemptions(first: 5) { totalCount edges { node { client { externalId } challenge { name } discount { amount } } } }
    clients(first: $clients) { totalCount edges { node {
      client { externalId groups { name } } status timesRedeemed remainingUses notifiedAt channels
      redemptions { challenge { name price { amount currency } } purchase { total { amount } } }
    } } }
  } } } }"""
# promoCodes: the page and its count; events; statistics: running totals, discount totals, notified
# clients; redemptions: page keys, rows (count from statistics), their clients; client rows: the
# rows with their uses, limits and clients, their notifications, row counts; the rows' redemptions
# (loaded with the rows) and those redemptions' purchases; the rows' clients' groups.
STATEMENTS = 15


async def build(api, codes: int, clients: int) -> None:
    challenge = await make_challenge(api, "100.00", "USD", name=f"Challenge {codes}")
    buyers = [await make_client(api, f"B{codes}-{i}") for i in range(clients)]
    for n in range(codes):
        code_id = await make_code(api, f"C{codes}X{n}")
        assert (await notify(api, code_id, clientIds=[buyers[0][0]], channels=["POPUP"]))["errors"] == []
        for i, (_, token) in enumerate(buyers[1:]):
            assert (await purchase(api, token, challenge, f"{codes}-{n}-{i}", f"C{codes}X{n}"))["errors"] == []


async def statements(api, codes: int, clients: int) -> int:
    with api.statements() as seen:
        data = await api.data(DASHBOARD, {"codes": codes, "clients": clients})
    nodes = [e["node"] for e in data["promoCodes"]["edges"]]
    assert len(nodes) == codes
    assert all(len(n["clients"]["edges"]) == min(clients, n["clients"]["totalCount"]) for n in nodes)
    return len(seen)


async def test_statement_count_does_not_grow_with_page_sizes(api):
    await api.install_module()
    await build(api, codes=2, clients=2)
    small = await statements(api, codes=1, clients=2)  # a notified row and a buying row, as in the large page
    await build(api, codes=50, clients=4)
    assert await statements(api, codes=50, clients=20) == small == STATEMENTS


ROWS = """query($code: String!) { promoCode(code: $code) { clients { edges { node { client { externalId } %s } } } } }"""


async def test_the_rows_redemptions_are_read_only_when_asked_for_even_through_fragments(api):
    await api.install_module()
    await build(api, codes=1, clients=3)
    with api.statements() as without:
        await api.data(ROWS % "timesRedeemed", {"code": "C1X0"})
    with api.statements() as direct:
        plain = await api.data(ROWS % "redemptions { challenge { name } }", {"code": "C1X0"})
    fragment = await api.data(
        ROWS % "...Bought" + " fragment Bought on PromoCodeClient { ... on PromoCodeClient { redemptions { challenge { name } } } }",
        {"code": "C1X0"},
    )
    assert len(direct) == len(without) + 1
    assert fragment == plain
    bought = [e["node"]["redemptions"] for e in plain["promoCode"]["clients"]["edges"]]
    assert sorted(len(r) for r in bought) == [0, 1, 1]  # the notified client bought nothing
