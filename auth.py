"""Bearer tokens: HS256 JWTs whose claims say who is calling (see the contract's "Who is calling")."""
from __future__ import annotations

import time
from dataclasses import dataclass
from enum import Enum

import jwt


class Permission(Enum):
    READ_PROMO_CODES = "READ_PROMO_CODES"
    UPDATE_PROMO_CODES = "UPDATE_PROMO_CODES"
    MANAGE_CLIENTS = "MANAGE_CLIENTS"
    MANAGE_CHALLENGES = "MANAGE_CHALLENGES"
    MANAGE_MODULES = "MANAGE_MODULES"


class PrincipalKind(Enum):
    STAFF = "staff"
    CLIENT = "client"


class InvalidToken(Exception):
    """The token is missing, forged, expired or malformed."""


@dataclass(frozen=True, slots=True)
class Principal:
    kind: PrincipalKind
    subject: str
    permissions: frozenset[Permission]

    @property
    def is_staff(self) -> bool:
        return self.kind is PrincipalKind.STAFF

    def may(self, permission: Permission) -> bool:
        if permission in self.permissions:
            return True
        # "Update" implies "read" for promo codes.
        return permission is Permission.READ_PROMO_CODES and (
            Permission.UPDATE_PROMO_CODES in self.permissions
        )


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


MAX_SUBJECT = 200  # it is stored as the audit trail's actor


def decode_token(token: str | None, secret: str) -> Principal:
    if token is None:
        raise InvalidToken("missing bearer token")
    try:
        claims = jwt.decode(
            token, secret, algorithms=["HS256"], options={"require": ["sub", "kind"]}
        )
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from None
    subject, kind = claims["sub"], claims["kind"]
    if not isinstance(subject, str) or not subject or len(subject) > MAX_SUBJECT:
        raise InvalidToken(f"sub must be a string of 1 to {MAX_SUBJECT} characters")
    try:
        principal_kind = PrincipalKind(kind)
    except ValueError:
        raise InvalidToken("kind must be 'staff' or 'client'") from None
    permissions: frozenset[Permission] = frozenset()
    if principal_kind is PrincipalKind.STAFF:
        names = claims.get("permissions", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise InvalidToken("permissions must be a list of names")
        # Unknown names are ignored: the CRM may grant permissions of other modules.
        permissions = frozenset(Permission[n] for n in names if n in Permission.__members__)
    return Principal(principal_kind, subject, permissions)


def mint_token(
    secret: str,
    subject: str,
    kind: str = "staff",
    permissions: list[str] | None = None,
    ttl_s: int | None = 3600,
) -> str:
    claims: dict[str, object] = {"sub": subject, "kind": kind}
    if kind == "staff":
        claims["permissions"] = permissions or []
    if ttl_s is not None:
        claims["exp"] = int(time.time()) + ttl_s
    return jwt.encode(claims, secret, algorithm="HS256")
