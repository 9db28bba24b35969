#!/usr/bin/env bash
# Install consultation-bot with its test tools into .venv, lint it, and run every test.
# PostgreSQL tests run when CONSULTBOT_TEST_POSTGRES_URL is set, or when a server answers on
# 127.0.0.1:5432 (then the database `test` is used); otherwise they are skipped with a reason.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[test]'
if [ -z "${CONSULTBOT_TEST_POSTGRES_URL:-}" ] && (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; then
  export CONSULTBOT_TEST_POSTGRES_URL="postgresql+asyncpg://postgres@127.0.0.1:5432/test"
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest "$@"
