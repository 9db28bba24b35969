"""Writing the evidence record: one folder with index.html, a CSV per table, every version of
the consultation file, and the exports themselves; zipped for sending over Telegram."""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.errors import ConsultbotError
from conversations.model import Consultation
from reports.cells import safe_text
from reports.consultation import export_responses
from reports.evidence.gather import Evidence, gather_evidence
from reports.evidence.page import render_page
from reports.evidence.tables import (
    RESPONSE_FILES,
    EvidenceTables,
    Link,
    Table,
    version_file,
)
from reports.write import ExportFormat

FORMATS = {".csv": ExportFormat.CSV, ".xlsx": ExportFormat.XLSX, ".jsonl": ExportFormat.JSON}


@dataclass(frozen=True)
class EvidenceSummary:
    """What was written: the folder, and how many people and answers the exports hold."""

    folder: Path
    respondents: int
    answers: int


async def write_evidence(
    consultation: Consultation,
    sessions: async_sessionmaker[AsyncSession],
    folder: Path,
    now: datetime,
) -> EvidenceSummary:
    """Write the whole record into `folder`, which must be new or empty."""
    check_output_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    evidence = await gather_evidence(consultation, sessions, now)
    tables = EvidenceTables(evidence)
    _write_versions(evidence, folder)
    summary = None
    for name, _ in RESPONSE_FILES:
        path = folder / name
        summary = await export_responses(
            consultation, sessions, FORMATS[path.suffix], path, now=now
        )
    assert summary is not None
    shown = tables.all()
    for table in shown:
        if table.name != "files":
            (folder / f"{table.name}.csv").write_bytes(table_csv(table))
    title = consultation.say("evidence_title", title=consultation.title)
    intro = consultation.say("evidence_made", made=tables.moment(now))
    (folder / "index.html").write_text(render_page(title, intro, shown), encoding="utf-8")
    return EvidenceSummary(folder, summary.respondents, summary.answers)


def check_output_folder(folder: Path) -> None:
    """Refuse a folder already in use: the record must hold nothing but itself."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ConsultbotError(
            f"{folder}: this folder is not empty. Fix: give --output a new or empty folder"
        )


def _write_versions(evidence: Evidence, folder: Path) -> None:
    for version in evidence.versions:
        if version.text:
            path = folder / version_file(version.version)
            path.parent.mkdir(exist_ok=True)
            path.write_text(version.text, encoding="utf-8")


def table_csv(table: Table) -> bytes:
    """A table as CSV (UTF-8 with a byte-order mark for Excel), safe against formulas."""
    text = io.StringIO()
    writer = csv.writer(text)
    if any(table.columns):
        writer.writerow(safe_text(column) for column in table.columns)
    for row in table.rows:
        writer.writerow(_csv_cell(cell) for cell in row)
    return text.getvalue().encode("utf-8-sig")


def _csv_cell(cell: str | int | Link) -> str | int:
    if isinstance(cell, Link):
        return safe_text(cell.href)
    return cell if isinstance(cell, int) else safe_text(cell)


def zip_folder(folder: Path, target: Path) -> Path:
    """The folder as one zip file, its files under the folder's own name."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, Path(folder.name) / path.relative_to(folder))
    return target
