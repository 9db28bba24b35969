"""Migrations: they build exactly the models' schema, and running them again changes nothing."""

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import storage.upgrade
from storage.database import create_engine
from storage.models import Base
from storage.upgrade import alembic_config, upgrade_database


def _differences(connection) -> list:
    return compare_metadata(MigrationContext.configure(connection), Base.metadata)


def _current_revision(connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


async def test_migrations_build_exactly_the_tables_the_models_describe(database):
    async with database.connect() as connection:
        assert await connection.run_sync(_differences) == []


async def test_the_database_is_left_at_the_latest_revision(database):
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    async with database.connect() as connection:
        assert await connection.run_sync(_current_revision) == head


async def test_upgrading_an_up_to_date_database_changes_nothing(database):
    await upgrade_database(database)
    await upgrade_database(database)
    async with database.connect() as connection:
        assert await connection.run_sync(_differences) == []


async def test_migrations_can_be_undone_and_redone(database):
    def downgrade(connection) -> list[str]:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        return inspect(connection).get_table_names()

    async with database.begin() as connection:
        assert await connection.run_sync(downgrade) == ["alembic_version"]
    await upgrade_database(database)
    async with database.connect() as connection:
        assert await connection.run_sync(_differences) == []


async def test_a_database_named_by_url_is_upgraded_too(database_url):
    await upgrade_database(database_url)
    await upgrade_database(database_url)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(_differences) == []
    finally:
        await engine.dispose()


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_sqlite_migrations_run_with_foreign_keys_off_and_turn_them_back_on(
    database, monkeypatch
):
    seen = []

    def watch(connection, config) -> None:
        seen.append(connection.exec_driver_sql("PRAGMA foreign_keys").scalar())
        upgrade_on(connection, config)

    upgrade_on = storage.upgrade._upgrade_on
    monkeypatch.setattr(storage.upgrade, "_upgrade_on", watch)
    await upgrade_database(database)

    async with database.connect() as connection:
        enforced = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
    assert (seen, enforced) == ([0], 1)
