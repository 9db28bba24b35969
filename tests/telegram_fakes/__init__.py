"""Telegram test fakes for consultation-bot: as strict as the real Bot API, never on the network.

* ``schema`` — our hand-written description of the Bot API methods the bot uses, and
  ``validate`` for them (``formatting`` parses HTML/Markdown the way Telegram does).
"""
