import pytest

from ops.json_logs import configure_logging
from settings import load_settings


def test_defaults_follow_the_contract(monkeypatch):
    for name in ("PROMO_DATABASE_URL", "PROMO_SMTP_URL", "PROMO_EMAIL_FROM", "PROMO_ACCOUNT_MANAGER_EMAIL",
                 "PROMO_CODE_ATTEMPT_LIMIT", "PROMO_CODE_ATTEMPT_WINDOW_S"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PROMO_JWT_SECRET", "x" * 32)
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///./promo.db"
    assert settings.smtp_url is None
    assert settings.email_from == "promo@localhost"
    assert settings.account_manager_email is None
    assert (settings.code_attempt_limit, settings.code_attempt_window_s) == (10, 600)


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("PROMO_JWT_SECRET", None, "PROMO_JWT_SECRET"),
        ("PROMO_JWT_SECRET", "short", "PROMO_JWT_SECRET"),
        ("PROMO_DATABASE_URL", "sqlite:///x.db", "PROMO_DATABASE_URL"),
        ("PROMO_SMTP_URL", "http://mail", "PROMO_SMTP_URL"),
        ("PROMO_CODE_ATTEMPT_LIMIT", "0", "PROMO_CODE_ATTEMPT_LIMIT"),
        ("PROMO_CODE_ATTEMPT_WINDOW_S", "soon", "PROMO_CODE_ATTEMPT_WINDOW_S"),
        ("PROMO_CODE_ATTEMPT_WINDOW_S", "100000000000", "PROMO_CODE_ATTEMPT_WINDOW_S"),  # now - window overflows
        ("PROMO_SMTP_URL", "smtp://", "PROMO_SMTP_URL"),
        ("PROMO_SMTP_URL", "smtp://mail:abc", "PROMO_SMTP_URL"),
        ("PROMO_SMTP_URL", "smtp://mail:99999", "PROMO_SMTP_URL"),
    ],
)
def test_bad_values_stop_start_up_with_a_clear_message(monkeypatch, variable, value, message):
    monkeypatch.setenv("PROMO_JWT_SECRET", "x" * 32)
    if value is None:
        monkeypatch.delenv(variable)
    else:
        monkeypatch.setenv(variable, value)
    with pytest.raises(SystemExit) as stopped:
        load_settings()
    assert message in str(stopped.value)


@pytest.mark.parametrize(("variable", "value"), [("PROMO_LOG_LEVEL", "LOUD"), ("PROMO_LOG_FORMAT", "xml")])
def test_bad_log_settings_stop_start_up_naming_the_variable(monkeypatch, variable, value):
    monkeypatch.setenv(variable, value)
    with pytest.raises(SystemExit) as stopped:
        configure_logging()
    assert variable in str(stopped.value)


def test_an_smtp_url_without_a_port_is_accepted(monkeypatch):
    monkeypatch.setenv("PROMO_JWT_SECRET", "x" * 32)
    monkeypatch.setenv("PROMO_SMTP_URL", "smtp://mail.example.test")
    assert load_settings().smtp_url == "smtp://mail.example.test"
