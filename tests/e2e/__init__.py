"""End-to-end tests: the real consultbot process against a fake Telegram over HTTP."""
