"""Fixtures for the engine tests: the shipped consultation and small files written on the fly."""

from collections.abc import Callable
from pathlib import Path

import pytest

from conversations.loader import default_consultation_path, load_consultation
from conversations.model import Consultation
from tests.conversations.chatkit import SMALL


@pytest.fixture(scope="session")
def medway() -> Consultation:
    """The consultation shipped with the package."""
    return load_consultation(default_consultation_path())


@pytest.fixture
def write_consultation(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write consultation text to a file in a fresh folder and return its path."""

    def write(text: str, name: str = "consultation.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def small(write_consultation: Callable[[str], Path]) -> Consultation:
    """The small fixture consultation, loaded from a real file."""
    return load_consultation(write_consultation(SMALL))
