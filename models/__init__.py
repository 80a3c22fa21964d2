"""SQLAlchemy models. Importing this package registers every table on ``Base.metadata``."""
from models.base import Base, UTCDateTime, utcnow
from models.email import EmailContent, OutboxEmail
from models.checkout import ChallengePurchase, CodeAttemptFailure, PromoCodeUsage, Redemption
from models.coupon import Coupon
from models.marketplace import MarketplaceModule, ModuleInstallationRequest
from models.notification import Notification, NotificationBatch
from models.promo_code import PromoCode, PromoCodeEvent
from models.statistics import PromoCodeDiscountTotal, PromoCodeStatistics
from models.reference import Client, ClientGroup, ClientGroupMember, PropChallenge

__all__ = [
    "Base",
    "ChallengePurchase",
    "Client",
    "ClientGroup",
    "ClientGroupMember",
    "EmailContent",
    "CodeAttemptFailure",
    "Coupon",
    "MarketplaceModule",
    "ModuleInstallationRequest",
    "Notification",
    "NotificationBatch",
    "OutboxEmail",
    "PromoCode",
    "PromoCodeDiscountTotal",
    "PromoCodeEvent",
    "PromoCodeStatistics",
    "PromoCodeUsage",
    "PropChallenge",
    "Redemption",
    "UTCDateTime",
    "utcnow",
]
