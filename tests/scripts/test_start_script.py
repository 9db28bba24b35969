"""scripts/start.sh installs only when needed: a second start goes straight to the bot.

The script runs for real (bash), in a copy of the project holding only what it reads, with a
stand-in `python3` first on PATH that writes down each install step instead of reaching PyPI.
"""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).parents[2]
FAKE_PYTHON = """#!/usr/bin/env bash
# python3 as start.sh uses it: --version, -m venv DIR; the venv's python runs pip.
if [ "$1" = "--version" ]; then echo "Python 3.11.99"; exit 0; fi
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then
  mkdir -p "$3/bin"
  cat > "$3/bin/python" <<'VENV'
#!/usr/bin/env bash
echo "pip $*" >> "$STEPS"
if [ "$*" = "-m pip install --quiet -e ." ]; then
  printf '#!/usr/bin/env bash\\necho "consultbot $*" >> "$STEPS"\\n' > "$(dirname "$0")/consultbot"
  chmod +x "$(dirname "$0")/consultbot"
fi
VENV
  chmod +x "$3/bin/python"
  echo "venv $3" >> "$STEPS"
fi
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    if shutil.which("bash") is None or shutil.which("sha256sum") is None:
        pytest.skip("needs bash and sha256sum")
    copy = tmp_path / "project"
    (copy / "scripts").mkdir(parents=True)
    shutil.copy(PROJECT / "scripts" / "start.sh", copy / "scripts" / "start.sh")
    shutil.copy(PROJECT / "pyproject.toml", copy / "pyproject.toml")
    tools = tmp_path / "tools"
    tools.mkdir()
    (tools / "python3").write_text(FAKE_PYTHON)
    (tools / "python3").chmod(0o755)
    return copy


def start(project: Path, *arguments: str) -> list[str]:
    """Run start.sh; the steps it took (venv, pip, consultbot) in order."""
    steps = project.parent / "steps.log"
    steps.unlink(missing_ok=True)
    env = {
        "PATH": f"{project.parent / 'tools'}:{os.environ['PATH']}",
        "STEPS": str(steps),
        "HOME": str(project.parent),
    }
    subprocess.run(
        ["bash", str(project / "scripts" / "start.sh"), *arguments],
        env=env,
        check=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    return steps.read_text().splitlines()


def test_the_first_start_installs_and_the_second_goes_straight_to_the_bot(project):
    first = start(project, "--config", "c.toml")
    second = start(project)

    assert first == [
        "venv .venv",
        "pip -m pip install --quiet --upgrade pip",
        "pip -m pip install --quiet -e .",
        "consultbot run --config c.toml",
    ]
    assert second == ["consultbot run"]


def test_a_changed_pyproject_installs_again(project):
    start(project)
    with (project / "pyproject.toml").open("a") as file:
        file.write("\n# a new dependency, say\n")

    assert start(project)[-2:] == ["pip -m pip install --quiet -e .", "consultbot run"]
