"""Every data file a package reads at run time is declared, so an installed wheel has it too.

An editable install reads files from the source tree, so a file missing from
`[tool.setuptools.package-data]` is only found missing in a real install (the Docker image).
"""

import tomllib
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_data_file_in_a_package_is_declared_as_package_data():
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = settings["tool"]["setuptools"]["package-data"]
    undeclared = [
        str(path.relative_to(ROOT))
        for package in ("bot", "conversations", "reports", "storage")
        for path in (ROOT / package).rglob("*")
        if path.is_file()
        and path.suffix not in {".py", ".pyc"}
        and not any(
            fnmatch(path.relative_to(ROOT / package).as_posix(), pattern)
            for pattern in declared.get(package, [])
        )
    ]
    assert undeclared == []
