"""Benchmarks for consultation-bot: `python -m bench` (see bench/README.md)."""
