"""Reading a TOML table key by key, collecting every problem with its file, key path and fix.

Both consultation files and the bot's config are read through this, so each mistake a council
makes in either is reported the same way: where it is and what to do about it.
"""

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from conversations.errors import FileProblem, FileProblems


def load_toml(path: Path) -> dict[str, Any]:
    """Parse a TOML file, turning a missing file or a syntax error into a FileProblem."""
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise FileProblem(path, "(file)", "the file does not exist", "check the path") from None
    except tomllib.TOMLDecodeError as error:
        raise FileProblem(
            path, "(syntax)", f"this is not valid TOML ({error})", "correct the line it names"
        ) from None


class TableReader:
    """One TOML table being read; remembers which keys were asked for to spot unknown ones."""

    def __init__(
        self, path: Path, data: Mapping[str, Any], where: str, problems: list[FileProblem]
    ) -> None:
        self.path = path
        self.data = data
        self.where = where
        self.problems = problems
        self._known: set[str] = set()

    @classmethod
    def root(cls, path: Path, data: Mapping[str, Any]) -> "TableReader":
        """A reader for the whole file."""
        return cls(path, data, "", [])

    def key_path(self, key: str) -> str:
        """The dotted path of a key in this table, as shown in error messages."""
        return f"{self.where}.{key}" if self.where else key

    def problem(self, key: str, problem: str, fix: str) -> None:
        """Note a problem with one key of this table."""
        self.problems.append(FileProblem(self.path, self.key_path(key), problem, fix))

    def has(self, key: str) -> bool:
        """Whether the key is present (and mark it as known)."""
        self._known.add(key)
        return key in self.data

    def _get(self, key: str, expected: type | tuple[type, ...], name: str, required: bool) -> Any:
        self._known.add(key)
        if key not in self.data:
            if required:
                self.problem(key, "this key is missing", f"add {key} = <{name}>")
            return None
        value = self.data[key]
        is_bool = isinstance(value, bool)  # a boolean is never a number or text here
        if not isinstance(value, expected) or (is_bool and expected is not bool):
            found = str(value).lower() if is_bool else repr(value)
            self.problem(key, f"expected {name}, found {found}", f"write {key} as {name}")
            return None
        return value

    def text(self, key: str, *, required: bool = True, default: str | None = None) -> str | None:
        """A non-empty string."""
        value = self._get(key, str, "text in quotes", required)
        if value is not None and not value.strip():
            self.problem(key, "this text is empty", "write the words, or remove the key")
            return None
        return default if value is None else value

    def integer(self, key: str, *, default: int, minimum: int = 0, maximum: int = 2**31) -> int:
        """A whole number within bounds."""
        value = self._get(key, int, "a whole number", required=False)
        if value is None:
            return default
        if not minimum <= value <= maximum:
            self.problem(
                key, f"{value} is out of range", f"use a number from {minimum} to {maximum}"
            )
            return default
        return int(value)

    def boolean(self, key: str, *, default: bool) -> bool:
        """true or false."""
        value = self._get(key, bool, "true or false", required=False)
        return default if value is None else bool(value)

    def strings(self, key: str, *, default: tuple[str, ...] = ()) -> tuple[str, ...]:
        """A list of strings."""
        value = self._get(key, list, "a list of texts in quotes", required=False)
        if value is None:
            return default
        if not all(isinstance(item, str) for item in value):
            self.problem(key, "every item must be text", 'write it like ["a", "b"]')
            return default
        return tuple(value)

    def integers(self, key: str) -> tuple[int, ...]:
        """A list of whole numbers."""
        value = self._get(key, list, "a list of whole numbers", required=False)
        if value is None:
            return ()
        if not all(isinstance(item, int) and not isinstance(item, bool) for item in value):
            self.problem(key, "every item must be a whole number", "write it like [123, 456]")
            return ()
        return tuple(value)

    def raw(self, key: str) -> Any:
        """The value as it is, for keys whose shape the caller checks itself."""
        self._known.add(key)
        return self.data.get(key)

    def table(self, key: str, *, required: bool = False) -> "TableReader | None":
        """A sub-table."""
        value = self._get(key, dict, "a table", required)
        if value is None:
            return None
        return TableReader(self.path, value, self.key_path(key), self.problems)

    def tables(self, key: str, *, required: bool = True) -> list["TableReader"]:
        """An array of tables ([[key]]); each is named by its `key` entry where it has one."""
        value = self._get(key, list, f"one or more [[{key}]] tables", required)
        if value is None:
            return []
        readers = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.problem(f"{key}[{index}]", "expected a table", f"write it as [[{key}]]")
                continue
            name = item.get("key") if isinstance(item.get("key"), str) else index
            where = f"{self.key_path(key)}[{name}]"
            readers.append(TableReader(self.path, item, where, self.problems))
        if required and not readers:
            self.problem(key, "the list is empty", f"add at least one [[{key}]] table")
        return readers

    def finish(self) -> None:
        """Report every key of this table that nobody asked for: usually a typo."""
        for key in self.data:
            if key not in self._known:
                known = ", ".join(sorted(self._known)) or "none"
                self.problem(key, "unknown key", f"check the spelling; known keys here: {known}")

    def raise_problems(self) -> None:
        """Raise everything found so far, if anything was."""
        if self.problems:
            raise FileProblems(list(self.problems))
