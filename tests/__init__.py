"""Test suite of consultation-bot (a package, so benchmarks can import tests.telegram_fakes)."""
