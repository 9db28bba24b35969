"""Tests of the Telegram fakes themselves (tests/telegram_fakes)."""
