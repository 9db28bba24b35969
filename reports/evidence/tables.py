"""The evidence record as plain tables: the same tables become index.html and the CSV files.

Staff wording comes from the locale file (`evidence_*` keys); times are shown in the
consultation's own time zone, to the second, with the zone's abbreviation (BST, GMT).
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from conversations.window import in_words
from reports.evidence.gather import Evidence
from storage.audit import AuditAction
from storage.rows import AuditRecord


@dataclass(frozen=True)
class Link:
    """A cell that points to another file in the record (a relative path)."""

    text: str
    href: str


Cell = str | int | Link


@dataclass(frozen=True)
class Table:
    """One table of the record: `name` is its CSV file's stem; `empty` is said when no rows."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[Cell, ...]] = field(default_factory=list)
    note: str | None = None
    empty: str | None = None


VERSIONS_FOLDER = "consultation-file-versions"
RESPONSE_FILES = (
    ("responses.csv", "CSV"),
    ("responses.xlsx", "XLSX"),
    ("responses.jsonl", "JSON Lines"),
)


def version_file(version: str) -> str:
    """Where a version's full text is kept, relative to the record's folder."""
    return f"{VERSIONS_FOLDER}/{version}.toml"


class EvidenceTables:
    """Builds each table of the record from the gathered evidence."""

    def __init__(self, evidence: Evidence) -> None:
        self.e = evidence
        self.c = evidence.consultation
        self.say = evidence.consultation.say

    def all(self) -> list[Table]:
        """Every table, in the order the page shows them."""
        return [
            self.about(),
            self.window(),
            self.changes(),
            self.versions(),
            self.people(),
            self.audit(),
            self.files(),
        ]

    def moment(self, at: datetime) -> str:
        """A time as 2022-09-23 23:59:12 BST, in the consultation's zone."""
        return at.astimezone(self.c.timezone).strftime("%Y-%m-%d %H:%M:%S %Z")

    def about(self) -> Table:
        c = self.c
        rows: list[tuple[Cell, ...]] = [
            (self.say("evidence_organisation"), c.organisation),
            (self.say("evidence_consultation_id"), c.id),
            (self.say("evidence_document"), Link(c.document_url, c.document_url)),
        ]
        return Table("consultation", self.say("evidence_about"), ("", ""), rows)

    def window(self) -> Table:
        planned, now, zone = self.e.planned, self.e.in_force, self.c.timezone
        opens = (
            in_words(planned.opens_at, zone)
            if planned.opens_at is not None
            else self.say("evidence_opens_at_start")
        )
        rows: list[tuple[Cell, ...]] = [
            (self.say("evidence_planned_opens"), opens),
            (self.say("evidence_planned_closes"), in_words(planned.closes_at, zone)),
            (self.say("evidence_closes_now"), in_words(now.closes_at, zone)),
        ]
        return Table("window", self.say("evidence_window"), ("", ""), rows)

    def changes(self) -> Table:
        rows: list[tuple[Cell, ...]] = [
            (
                self.moment(change.at),
                change.actor,
                self.moment(change.closes_at)
                if change.closes_at is not None
                else self.say("evidence_back_to_file"),
                change.reason or self.say("evidence_no_reason"),
            )
            for change in self.e.changes
        ]
        columns = ("when", "who", "closes", "why")
        return Table(
            "window-changes",
            self.say("evidence_changes"),
            self._columns(columns),
            rows,
            empty=self.say("evidence_no_changes"),
        )

    def versions(self) -> Table:
        rows: list[tuple[Cell, ...]] = [
            (
                version.version,
                self.moment(version.first_used_at),
                version.answers,
                Link(version_file(version.version), version_file(version.version))
                if version.text
                else self.say("evidence_text_missing"),
            )
            for version in self.e.versions
        ]
        columns = ("version", "first_used", "answers", "text")
        return Table(
            "consultation-file-versions",
            self.say("evidence_versions"),
            self._columns(columns),
            rows,
        )

    def people(self) -> Table:
        """Started, said yes, said no, finished and stopped part-way, per audience and source,
        with a total per audience and one for everyone."""
        tally: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        for count in self.e.people:
            key = (count.audience or "", count.source or "")
            tally[key]["started"] += count.count
            if count.consented:
                tally[key]["consented"] += count.count
                tally[key]["finished" if count.finished else "part_way"] += count.count
        for decline in self.e.declines:
            key = (decline.audience or "", decline.source or "")
            tally[key]["started"] += decline.declines
            tally[key]["declined"] += decline.declines
        rows: list[tuple[Cell, ...]] = []
        everyone: Counter[str] = Counter()
        for audience in sorted({a for a, _ in tally}, key=self._audience_order):
            sources = sorted(s for a, s in tally if a == audience)
            whole: Counter[str] = Counter()
            for source in sources:
                counts = tally[(audience, source)]
                whole.update(counts)
                rows.append(
                    self._people_row(audience, source or self.say("evidence_no_source"), counts)
                )
            if len(sources) > 1:
                rows.append(self._people_row(audience, self.say("evidence_all"), whole))
            everyone.update(whole)
        rows.append((self.say("evidence_all"), self.say("evidence_all"), *self._stages(everyone)))
        columns = ("audience", "source", "started", "consented", "declined", "finished", "part_way")
        return Table(
            "people",
            self.say("evidence_people"),
            self._columns(columns),
            rows,
            note=self.say("evidence_people_note"),
        )

    def audit(self) -> Table:
        rows = [
            (
                self.moment(entry.at),
                entry.actor,
                entry.action,
                entry.detail,
                "" if entry.rows is None else entry.rows,
            )
            for entry in erasures_counted_by_day(self.e.audit, self.c.timezone, self.say)
        ]
        columns = ("when", "who", "action", "detail", "rows")
        return Table("audit-log", self.say("evidence_audit"), self._columns(columns), list(rows))

    def files(self) -> Table:
        rows: list[tuple[Cell, ...]] = [
            (Link(name, name), self.say("evidence_responses", format=kind))
            for name, kind in RESPONSE_FILES
        ]
        for table in (self.changes(), self.versions(), self.people(), self.audit()):
            rows.append((Link(f"{table.name}.csv", f"{table.name}.csv"), table.title))
        return Table("files", self.say("evidence_files"), self._columns(("file", "what")), rows)

    def _people_row(self, audience: str, source: str, counts: Counter[str]) -> tuple[Cell, ...]:
        return (self._audience_label(audience), source, *self._stages(counts))

    @staticmethod
    def _stages(counts: Counter[str]) -> tuple[int, ...]:
        return tuple(
            counts[stage] for stage in ("started", "consented", "declined", "finished", "part_way")
        )

    def _audience_label(self, key: str) -> str:
        audience = self.c.audience(key)
        if audience is not None:
            return audience.label
        return key or self.say("evidence_unknown_audience")

    def _audience_order(self, key: str) -> tuple[int, str]:
        keys = [audience.key for audience in self.c.audiences]
        return (keys.index(key) if key in keys else len(keys), key)

    def _columns(self, names: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.say(f"evidence_col_{name}") for name in names)


def erasures_counted_by_day(
    entries: list[AuditRecord], zone: ZoneInfo, say: Callable[..., str]
) -> list[AuditRecord]:
    """The audit log with each day's erasures by each actor as one entry that counts them, at
    the start of that day and where the first of them stood: the record says how many people
    were erased (by their own /delete, by saying no, or by staff), never when each one was."""
    groups: dict[tuple[date, str], list[AuditRecord]] = {}
    order: list[AuditRecord | tuple[date, str]] = []
    for entry in entries:
        if entry.action != AuditAction.ERASE:
            order.append(entry)
            continue
        key = (entry.at.astimezone(zone).date(), entry.actor)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(entry)
    result = []
    for item in order:
        if isinstance(item, AuditRecord):
            result.append(item)
            continue
        erased = groups[item]
        day, actor = item
        result.append(
            AuditRecord(
                datetime.combine(day, time(), tzinfo=zone),
                actor,
                AuditAction.ERASE,
                say("evidence_erasures", count=len(erased)),
                sum(entry.rows or 0 for entry in erased),
            )
        )
    return result
