#!/usr/bin/env bash
# Install consultation-bot into .venv and start its main job.
# With no Telegram token set, `consultbot run` opens a preview of the consultation in this
# terminal instead; set TELEGRAM_BOT_TOKEN (or use --config) to run the real bot.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e .
exec .venv/bin/consultbot run "$@"
