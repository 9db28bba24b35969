#!/usr/bin/env bash
# Install consultation-bot into .venv (only when needed) and start its main job.
# With no Telegram token set, `consultbot run` opens a preview of the consultation in this
# terminal instead; set TELEGRAM_BOT_TOKEN (or use --config) to run the real bot.
# The install is done again only when pyproject.toml changed since the last one, so a second
# start is quick; delete .venv to force a fresh install.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.consultbot-installed
wanted="$(python3 --version) $(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -x .venv/bin/consultbot ] || [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  python3 -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e .
  echo "$wanted" > "$stamp"
fi
exec .venv/bin/consultbot run "$@"
