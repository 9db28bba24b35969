"""The question-flow engine: consultation files, the respondent's state, and one pure step function.

Nothing here talks to Telegram, a database or the clock: callers hand in the time and
apply what the engine returns.
"""
