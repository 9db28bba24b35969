"""The Telegram side: config, the python-telegram-bot application, admin commands, jobs, CLI."""
