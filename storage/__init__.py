"""Where the consultation's respondents, their progress and their answers are kept.

SQLAlchemy 2 async over SQLite (a file, WAL) or PostgreSQL (asyncpg), chosen by the URL alone.
`storage.database` builds the engine and sessions, `storage.upgrade` brings the schema to the
latest Alembic migration, and `storage.queries` is the small API the bot and the commands call.
Every helper takes an `AsyncSession` and never commits: the caller owns the unit of work.
"""
