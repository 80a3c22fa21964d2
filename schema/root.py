"""The root types: every query and mutation, wired to its resolver in ``resolvers/``."""
from __future__ import annotations

import strawberry

from resolvers import marketplace, node, notifications, promo_codes, reference
from resolvers import checkout, coupons, marketplace, node, promo_codes, reference
from schema.checkout import ChallengePurchase, CheckoutQuotePayload, PurchaseChallengePayload
from schema.coupon import Coupon, CouponPayload
from schema.marketplace import MarketplaceModule, MarketplaceModulePayload, Viewer
from schema.node import Node
from schema.notification import MarkNotificationsReadPayload, Notification, NotifyPromoCodePayload
from schema.pagination import Connection
from schema.promo_code import DeletePromoCodePayload, PromoCode, PromoCodePayload
from schema.reference import Client, ClientGroup, ClientGroupPayload, ClientPayload, PropChallenge, PropChallengePayload


@strawberry.type
class Query:
    node: Node | None = strawberry.field(resolver=node.node)
    viewer: Viewer = strawberry.field(resolver=marketplace.viewer)

    promo_code: PromoCode | None = strawberry.field(resolver=promo_codes.promo_code)
    promo_codes: Connection[PromoCode] = strawberry.field(
        resolver=promo_codes.promo_codes,
        description="Pages of 20 unless `first` or `last` says otherwise (at most 100).",
    )
    clients: Connection[Client] = strawberry.field(resolver=reference.clients)
    client_groups: list[ClientGroup] = strawberry.field(resolver=reference.client_groups)
    prop_challenges: list[PropChallenge] = strawberry.field(resolver=reference.prop_challenges)
    marketplace_modules: list[MarketplaceModule] = strawberry.field(resolver=marketplace.marketplace_modules)

    my_notifications: Connection[Notification] = strawberry.field(resolver=notifications.my_notifications)
    my_popups: list[Notification] = strawberry.field(
        resolver=notifications.my_popups, description="Unread pop-up notifications, newest first (at most 100)."
    )
    my_coupons: list[Coupon] = strawberry.field(resolver=coupons.my_coupons)
    my_purchases: Connection[ChallengePurchase] = strawberry.field(resolver=checkout.my_purchases)


@strawberry.type
class Mutation:
    create_promo_code: PromoCodePayload = strawberry.mutation(resolver=promo_codes.create_promo_code)
    update_promo_code: PromoCodePayload = strawberry.mutation(resolver=promo_codes.update_promo_code)
    enable_promo_code: PromoCodePayload = strawberry.mutation(resolver=promo_codes.enable_promo_code)
    disable_promo_code: PromoCodePayload = strawberry.mutation(resolver=promo_codes.disable_promo_code)
    delete_promo_code: DeletePromoCodePayload = strawberry.mutation(resolver=promo_codes.delete_promo_code)
    notify_promo_code: NotifyPromoCodePayload = strawberry.mutation(resolver=notifications.notify_promo_code)

    mark_notifications_read: MarkNotificationsReadPayload = strawberry.mutation(
        resolver=notifications.mark_notifications_read
    )
    issue_coupon: CouponPayload = strawberry.mutation(resolver=coupons.issue_coupon)

    apply_promo_code: CheckoutQuotePayload = strawberry.mutation(resolver=checkout.apply_promo_code)
    purchase_challenge: PurchaseChallengePayload = strawberry.mutation(resolver=checkout.purchase_challenge)

    request_module_installation: MarketplaceModulePayload = strawberry.mutation(
        resolver=marketplace.request_module_installation
    )
    install_module: MarketplaceModulePayload = strawberry.mutation(resolver=marketplace.install_module)

    create_client: ClientPayload = strawberry.mutation(resolver=reference.create_client)
    create_client_group: ClientGroupPayload = strawberry.mutation(resolver=reference.create_client_group)
    create_prop_challenge: PropChallengePayload = strawberry.mutation(resolver=reference.create_prop_challenge)
    set_prop_challenge_active: PropChallengePayload = strawberry.mutation(
        resolver=reference.set_prop_challenge_active
    )
