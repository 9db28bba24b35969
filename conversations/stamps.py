"""Marking translations as up to date with the English: writing their stamps into the files.

A stamp is a short hash of the English text a translation was made from (see
`conversations.languages.stamp`). In a consultation file the stamps are the table
`[translations.<code>.stamps]`, kept at the end of the file; in a locale file they are
`stamps.<key> = "..."` lines. Only this module writes them, so they can be rewritten whole.
"""

import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from conversations.model import Consultation

STAMP_LINE = re.compile(r"^stamps\.[A-Za-z0-9_]+\s*=")


def stamp_language(consultation: Consultation, language: str) -> dict[str, int]:
    """Stamp every translation in `language` that is there but not marked as current.

    Returns how many stamps were written per file. Missing translations stay missing.
    """
    by_file: dict[str, dict[str, str]] = {}
    for gap in consultation.translation_gaps:
        if gap.language == language and gap.restamp is not None:
            key, value = gap.restamp
            by_file.setdefault(gap.path, {})[key] = value
    for path, stamps in by_file.items():
        file = Path(path)
        if file.suffix == ".toml" and file.parent.name == "locales":
            _write_locale_stamps(file, stamps)
        else:
            _write_table_stamps(file, f"translations.{language}.stamps", stamps)
    return {path: len(stamps) for path, stamps in by_file.items()}


def _write_locale_stamps(path: Path, new: Mapping[str, str]) -> None:
    lines = path.read_text("utf-8").splitlines()
    old = {}
    kept = []
    for line in lines:
        if STAMP_LINE.match(line):
            key, _, value = line.partition("=")
            old[key.strip().removeprefix("stamps.")] = value.strip().strip('"')
        elif line not in _header():
            kept.append(line)
    while kept and not kept[-1].strip():
        kept.pop()
    merged = {**old, **new}
    block = [f'stamps.{key} = "{value}"' for key, value in sorted(merged.items())]
    path.write_text("\n".join([*kept, "", *_header(), *block]) + "\n", "utf-8")


def _write_table_stamps(path: Path, table: str, new: Mapping[str, str]) -> None:
    lines = path.read_text("utf-8").splitlines()
    header = f"[{table}]"
    old: dict[str, str] = {}
    kept: list[str] = []
    inside = False
    for line in lines:
        if line.strip() == header:
            inside = True
            continue
        if inside and line.startswith("["):
            inside = False
        if inside:
            key, equals, value = line.partition("=")
            if equals:
                old[key.strip().strip('"')] = value.strip().strip('"')
        else:
            kept.append(line)
    while kept and (not kept[-1].strip() or kept[-1] in _header()):
        kept.pop()
    merged = {**old, **new}
    block = [f'"{key}" = "{value}"' for key, value in sorted(merged.items())]
    path.write_text("\n".join([*kept, "", *_header(), header, *block]) + "\n", "utf-8")


def _header() -> Iterable[str]:
    return ("# Written by `consultbot stamp`: which English each translation matches.",)
