"""The index exports read respondents through: (consultation_id, id), built by migration 0002."""

from sqlalchemy import inspect


def _respondent_indexes(connection) -> dict[str, list[str]]:
    return {
        index["name"]: index["column_names"]
        for index in inspect(connection).get_indexes("respondents")
    }


async def test_respondents_are_indexed_by_consultation_then_id(database):
    async with database.connect() as connection:
        indexes = await connection.run_sync(_respondent_indexes)
    assert indexes["ix_respondents_consultation_id_id"] == ["consultation_id", "id"]
