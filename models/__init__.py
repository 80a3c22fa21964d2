"""SQLAlchemy models. Importing this package registers every table on ``Base.metadata``."""
from models.base import Base, UTCDateTime, utcnow
from models.checkout import ChallengePurchase, CodeAttemptFailure, PromoCodeUsage, Redemption
from models.coupon import Coupon
from models.marketplace import MarketplaceModule, ModuleInstallationRequest
from models.promo_code import PromoCode, PromoCodeEvent
from models.reference import Client, ClientGroup, ClientGroupMember, PropChallenge

__all__ = [
    "Base",
    "ChallengePurchase",
    "Client",
    "ClientGroup",
    "ClientGroupMember",
    "CodeAttemptFailure",
    "Coupon",
    "MarketplaceModule",
    "ModuleInstallationRequest",
    "PromoCode",
    "PromoCodeEvent",
    "PromoCodeUsage",
    "PropChallenge",
    "Redemption",
    "UTCDateTime",
    "utcnow",
]
