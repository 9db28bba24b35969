"""The Telegram side: config, the python-telegram-bot application, admin commands, jobs, CLI."""

import os

# python-telegram-bot 22 gives durations such as RetryAfter.retry_after as whole seconds and
# warns (PTBDeprecationWarning) that its next major version gives a timedelta. The bot reads
# both, so it opts in to the new type now, before telegram is imported anywhere in the bot.
os.environ.setdefault("PTB_TIMEDELTA", "true")
