"""Fixtures for the command-line tests: the real console script, and config files on the fly."""

import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from tests.conversations.chatkit import SMALL

CONSULTBOT = Path(sys.executable).with_name("consultbot")
TIMEOUT = 60
"""Seconds any one run of the real command may take before the test fails."""


@pytest.fixture
def consultbot(tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the installed `consultbot` script with these arguments and this standard input."""
    assert CONSULTBOT.exists(), f"the console script is not installed at {CONSULTBOT}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "CONSULTBOT_"))
    }
    env["PYTHONIOENCODING"] = "utf-8"

    def run(
        *arguments: str, stdin: str = "", extra_env: Mapping[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CONSULTBOT), *arguments],
            input=stdin,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=TIMEOUT,
            cwd=tmp_path,
            env={**env, **(extra_env or {})},
            check=False,
        )

    return run


@pytest.fixture
def config_for(tmp_path: Path) -> Callable[[str], Path]:
    """A config file naming a consultation file with this text, both in a fresh folder."""

    def write(consultation: str) -> Path:
        (tmp_path / "consultation.toml").write_text(consultation, encoding="utf-8")
        config = tmp_path / "consultbot.toml"
        config.write_text('[consultation]\nfile = "consultation.toml"\n', encoding="utf-8")
        return config

    return write


@pytest.fixture
def small_config(config_for: Callable[[str], Path]) -> Path:
    """A config file for the small fixture consultation."""
    return config_for(SMALL)
