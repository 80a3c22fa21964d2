"""Configuration read from the environment (``PROMO_*`` variables)."""
from __future__ import annotations

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="PROMO_", frozen=True)

    database_url: str = "sqlite+aiosqlite:///./promo.db"
    jwt_secret: str = Field(min_length=32)
    smtp_url: str | None = None
    email_from: str = "promo@localhost"
    account_manager_email: str | None = None
    code_attempt_limit: int = Field(default=10, ge=1, le=1_000_000)
    code_attempt_window_s: int = Field(default=600, ge=1, le=30 * 24 * 3600)  # at most 30 days
    # Comma-separated origins of the admin SPA and client portal allowed to call the API
    # from a browser (CORS) and to open its WebSocket.
    cors_origins: str = ""

    @property
    def allowed_origins(self) -> list[str]:
        return [o.strip().rstrip("/") for o in self.cors_origins.split(",") if o.strip()]

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, url: str) -> str:
        if not url.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must be an async SQLAlchemy URL: sqlite+aiosqlite:///path or "
                "postgresql+asyncpg://user@host/db"
            )
        return url

    @field_validator("smtp_url")
    @classmethod
    def _smtp_scheme(cls, url: str | None) -> str | None:
        if not url:
            return None
        from mail.smtp import Relay  # the parser the worker uses; imported late, settings load first

        try:
            Relay.from_url(url)
        except ValueError:
            raise ValueError("must look like smtp://host:port") from None
        return url


def load_settings() -> Settings:
    """Settings from the environment; a bad value stops start-up with a readable message."""
    from pydantic import ValidationError

    try:
        return Settings()  # type: ignore[call-arg]
    except ValidationError as exc:
        problems = "; ".join(
            f"PROMO_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise SystemExit(f"promo-codes: bad configuration: {problems}") from None
