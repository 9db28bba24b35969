"""Turning the ordered answer stream into one group of answers per respondent."""

from collections.abc import AsyncIterable, AsyncIterator

from reports.errors import ExportError
from storage.rows import ExportRow


async def by_respondent(rows: AsyncIterable[ExportRow]) -> AsyncIterator[tuple[ExportRow, ...]]:
    """Yield each respondent's answers together, in the order the rows arrive.

    The query must return all of a respondent's rows one after another (ORDER BY respondent).
    If a respondent turns up again after another one, this raises `ExportError` rather than
    split their answers into two half-rows. Remembering who was seen costs one pseudonym per
    respondent, never one entry per answer.
    """
    seen: set[str] = set()
    current: list[ExportRow] = []
    async for row in rows:
        if current and row.respondent != current[0].respondent:
            yield tuple(current)
            current = []
        if not current:
            if row.respondent in seen:
                raise ExportError(
                    f"answers of respondent {row.respondent} arrived in two separate runs; "
                    "the export query must order rows by respondent"
                )
            seen.add(row.respondent)
        current.append(row)
    if current:
        yield tuple(current)
