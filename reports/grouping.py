"""Turning the ordered batches of answer rows into whole respondents, batch by batch."""

from collections.abc import AsyncIterable, AsyncIterator, Sequence
from itertools import groupby
from operator import itemgetter

from reports.errors import ExportError
from storage.rows import RESPONDENT, ExportRow

Respondents = list[list[ExportRow]]
"""Some respondents' answers, each respondent's together, in the order the rows came."""

_RESPONDENT = itemgetter(RESPONDENT)


async def by_respondent(
    batches: AsyncIterable[Sequence[ExportRow]],
) -> AsyncIterator[Respondents]:
    """Yield, batch by batch, the respondents whose answers are complete so far.

    The query must return all of a respondent's rows one after another (ORDER BY respondent);
    a batch may end in the middle of them, so the last respondent of a batch is held back until
    their answers end. If a respondent turns up again after another one, this raises
    `ExportError` rather than split their answers into two half-rows. Remembering who was seen
    costs one label per respondent, never one entry per answer.
    """
    seen: set[str] = set()
    held: list[ExportRow] = []
    for_later: str | None = None
    async for batch in batches:
        complete: Respondents = []
        for respondent, answers in groupby(batch, _RESPONDENT):
            if respondent == for_later:
                held.extend(answers)
                continue
            if respondent in seen:
                raise ExportError(
                    f"answers of respondent {respondent} arrived in two separate runs; "
                    "the export query must order rows by respondent"
                )
            seen.add(respondent)
            if held:
                complete.append(held)
            held, for_later = list(answers), respondent
        if complete:
            yield complete
    if held:
        yield [held]
