"""The fair-consultation record, made after a real consultation through the real bot: the
window and every change with who, when and why; every file version with its text and its
answers; who started, said yes, said no, finished and stopped; the audit log; the exports; and
an index.html that an HTML parser reads as plain tables with no scripts and no outside assets.
"""

import csv
import io
import zipfile
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.file_versions import remember_consultation_file
from conversations.loader import default_consultation_path, file_version
from reports.evidence.folder import write_evidence
from storage.audit import recent_audit
from tests.bot.harness import STAFF_ID, BotHarness
from tests.bot.steps import begin
from tests.bot.test_staff_scenario import (
    ada_finishes,
    assert_no_identifiers,
    bea_stops_half_way,
    meet,
    settle,
    staff_member,
)

MADE_AT = datetime(2022, 9, 2, 9, 0, tzinfo=UTC)
EXTEND_REASON = "Schools & colleges asked for <more> time"
CLOSE_REASON = "The plan was withdrawn"
REOPEN_REASON = "Closed by mistake"
EDITED = "# a typo fixed\n"


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


class Page(HTMLParser):
    """What a browser would load and show from index.html: tags, links, sources, table text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.sources: list[str] = []
        self.headings: list[str] = []
        self.cells: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")
        if "src" in found:
            self.sources.append(found["src"] or "")
        if tag in ("h2", "td", "th"):
            self._in = tag
            (self.headings if tag == "h2" else self.cells).append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == self._in:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "h2":
            self.headings[-1] += data
        elif self._in in ("td", "th"):
            self.cells[-1] += data


async def a_consultation_with_everything_in_it(harness: BotHarness, folder: Path) -> None:
    """Two versions of the file (the second written in `folder`); Ada finishes, Bea stops
    half-way, Cal and a stranger say no, Dee agrees then deletes everything; staff extend,
    close and reopen with reasons."""
    sessions = harness.service.sessions
    medway = default_consultation_path()
    await remember_consultation_file(sessions, harness.consultation, medway, harness.clock())
    people = meet(harness)
    await ada_finishes(harness, people.ada)
    await bea_stops_half_way(harness, people.bea)
    await harness.start(people.cal, "parent_carer__school_a")
    await harness.tap(people.cal, "No thanks")
    stranger = harness.person("Stranger", username="stranger_newt_204")
    await harness.start(stranger)
    await harness.tap(stranger, "No thanks")
    dee = harness.person("Dee", username="dee_gecko_618")
    await begin(harness, dee, "young_person", "Being included and taking part")
    await harness.tap(dee, "Agree")
    await harness.command(dee, "delete")
    await harness.tap(dee, "Yes, delete them")
    staff = staff_member(harness)
    await harness.command(staff, "extend", f"2022-10-07 17:00 because {EXTEND_REASON}")
    await harness.command(staff, "close", f"because {CLOSE_REASON}")
    assert harness.last(staff).text.endswith(f"Reason: {CLOSE_REASON}")
    await harness.tap(staff, "Yes, close it now")
    await harness.command(staff, "reopen", REOPEN_REASON)
    edited = folder / "edited.toml"
    edited.write_text(medway.read_text(encoding="utf-8") + EDITED, encoding="utf-8")
    harness.clock.now = MADE_AT
    await remember_consultation_file(sessions, harness.consultation, edited, harness.clock())


@pytest.fixture
async def record(harness: BotHarness, tmp_path: Path) -> Path:
    await a_consultation_with_everything_in_it(harness, tmp_path)
    folder = tmp_path / "record"
    await write_evidence(harness.consultation, harness.service.sessions, folder, MADE_AT)
    return folder


async def test_the_record_holds_the_page_every_table_every_version_and_the_exports(
    harness: BotHarness, record: Path
):
    version = harness.consultation.version
    edited = file_version(default_consultation_path().read_bytes() + EDITED.encode())
    assert sorted(str(p.relative_to(record)) for p in record.rglob("*") if p.is_file()) == sorted(
        [
            "index.html",
            "consultation.csv",
            "window.csv",
            "window-changes.csv",
            "consultation-file-versions.csv",
            f"consultation-file-versions/{version}.toml",
            f"consultation-file-versions/{edited}.toml",
            "people.csv",
            "audit-log.csv",
            "responses.csv",
            "responses.xlsx",
            "responses.jsonl",
        ]
    )
    for path in record.rglob("*"):
        if path.is_file():
            assert_no_identifiers(path.read_bytes(), meet(harness))


async def test_every_version_is_kept_in_full_with_the_answers_given_under_it(
    harness: BotHarness, record: Path
):
    medway = default_consultation_path().read_text(encoding="utf-8")
    version = harness.consultation.version
    edited = file_version((medway + EDITED).encode())
    folder = record / "consultation-file-versions"

    assert (folder / f"{version}.toml").read_text(encoding="utf-8") == medway
    assert (folder / f"{edited}.toml").read_text(encoding="utf-8") == medway + EDITED
    rows = read_csv(record / "consultation-file-versions.csv")
    answers = read_csv(record / "responses.csv")
    assert rows == [
        ["Version (hash)", "First used", "Answers given under it", "Full text"],
        [
            version,
            "2022-09-01 13:00:00 BST",
            str(len(answers) - 1),
            f"{folder.name}/{version}.toml",
        ],
        [edited, "2022-09-02 10:00:00 BST", "0", f"{folder.name}/{edited}.toml"],
    ]
    assert answers[0][-2:] == ["consultation_version", "language"]
    assert {row[-2] for row in answers[1:]} == {version}
    for line in (record / "responses.jsonl").read_text(encoding="utf-8").splitlines():
        assert f'"consultation_version": "{version}"' in line


async def test_the_window_as_planned_and_every_change_with_who_when_and_why(record: Path):
    assert read_csv(record / "window.csv") == [
        ["Planned to open", "When the bot started"],
        ["Planned to close", "Friday 23 September 2022 at 11:59pm"],
        ["Closing time in force now", "Friday 23 September 2022 at 11:59pm"],
    ]
    staff = f"staff:{STAFF_ID}"
    assert read_csv(record / "window-changes.csv") == [
        ["When", "Who", "New closing time", "Why"],
        ["2022-09-01 13:00:00 BST", staff, "2022-10-07 17:00:00 BST", EXTEND_REASON],
        ["2022-09-01 13:00:00 BST", staff, "2022-09-01 13:00:00 BST", CLOSE_REASON],
        ["2022-09-01 13:00:00 BST", staff, "Back to the planned date", REOPEN_REASON],
    ]


async def test_people_are_counted_by_audience_and_source_declines_included(record: Path):
    assert read_csv(record / "people.csv") == [
        ["Audience", "Source", "Started", "Said yes", "Said no", "Finished", "Stopped part-way"],
        ["I'm a young person", "library_poster", "1", "1", "0", "1", "0"],
        ["I'm a parent or carer", "school_a", "1", "0", "1", "0", "0"],
        ["I'm a parent or carer", "school_newsletter", "1", "1", "0", "0", "1"],
        ["I'm a parent or carer", "All", "2", "1", "1", "0", "1"],
        ["(not said)", "(no source)", "1", "0", "1", "0", "0"],
        ["All", "All", "4", "2", "2", "1", "1"],
    ]


async def test_the_audit_log_is_whole_and_counts_deletions_without_saying_when(
    harness: BotHarness, record: Path
):
    rows = read_csv(record / "audit-log.csv")
    async with harness.service.sessions() as session:
        entries = await recent_audit(session, limit=1000)

    assert rows[0] == ["When", "Who", "Action", "Detail", "Rows"]
    assert [row[2] for row in rows[1:]] == ["erase", "erase", "window", "window", "window"]
    assert rows[1:3] == [
        ["2022-09-01 00:00:00 BST", "respondent saying no", "erase", "Respondents erased: 1", "0"],
        # 1 answer and 3 about who they are
        ["2022-09-01 00:00:00 BST", "respondent", "erase", "Respondents erased: 1", "4"],
    ]
    assert len(entries) == len(rows) - 1


async def test_index_html_is_plain_tables_with_no_scripts_and_no_outside_assets(
    harness: BotHarness, record: Path
):
    page = Page()
    page.feed((record / "index.html").read_text(encoding="utf-8"))
    page.close()

    assert not {"script", "link", "img", "iframe", "object", "embed"} & set(page.tags)
    assert page.sources == []
    outside = [href for href in page.hrefs if not (record / href).is_file()]
    assert outside == [harness.consultation.document_url]
    assert page.headings == [
        "What people were asked about",
        "When people could answer",
        "Changes to the closing time",
        "Versions of the consultation file",
        "Who took part, by audience and source",
        "Audit log",
        "Files in this record",
    ]
    assert page.tags.count("table") == 7
    assert EXTEND_REASON in page.cells  # shown as the words staff wrote, not as markup
    assert "more" not in page.tags
    assert "Medway Council and NHS Kent and Medway" in page.cells
    assert "Respondents erased: 1" in page.cells


async def test_staff_get_the_record_as_a_zip_in_the_chat_and_it_is_audited(
    harness: BotHarness, tmp_path: Path
):
    await a_consultation_with_everything_in_it(harness, tmp_path)
    staff = staff_member(harness)

    await harness.command(staff, "evidence")
    await settle(harness)

    assert harness.api.failed_calls() == []
    (sent,) = harness.api.calls_of("sendDocument", chat_id=STAFF_ID)
    document = sent.files["document"]
    assert document.filename == "medway-send-strategy-2022-evidence-20220902-1000.zip"
    with zipfile.ZipFile(io.BytesIO(document.content)) as archive:
        names = archive.namelist()
        page = archive.read("medway-send-strategy-2022-evidence-20220902-1000/index.html")
    assert "medway-send-strategy-2022-evidence-20220902-1000/responses.xlsx" in names
    assert b"Evidence record: Our plan for children" in page
    assert_no_identifiers(document.content, meet(harness))
    async with harness.service.sessions() as session:
        latest = (await recent_audit(session, limit=1))[0]
    assert (latest.actor, latest.action) == (f"staff:{STAFF_ID}", "evidence")


async def test_someone_who_is_not_staff_gets_no_record(harness: BotHarness):
    ada = meet(harness).ada
    await harness.start(ada)
    await harness.command(ada, "evidence")
    await settle(harness)

    assert harness.api.calls_of("sendDocument") == []
