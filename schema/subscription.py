from __future__ import annotations

import strawberry

from resolvers import subscriptions
from schema.notification import Notification
from schema.statistics import PromoCodeStatistics


@strawberry.type
class Subscription:
    promo_code_statistics: PromoCodeStatistics = strawberry.subscription(
        resolver=subscriptions.promo_code_statistics,
        description="Current figures at once, then again after every change (READ_PROMO_CODES).",
    )
    my_notification_received: Notification = strawberry.subscription(
        resolver=subscriptions.my_notification_received,
        description="Each new notification for the calling client, as it is created (CLIENT).",
    )
