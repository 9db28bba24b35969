"""The Dockerfile and compose.yaml: checked as files everywhere, built where Docker runs.

There is no Docker engine on most test machines (nor in CI here), so what can be checked
without one is checked by reading the files: every file the image copies is in the repository
and not excluded from the build, it runs as a non-root user with a health check on the port
its config serves, and compose runs that image with PostgreSQL and mounts folders that exist.
Where `docker` answers, the image is also built and its command run.
"""

import fnmatch
import shlex
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml

from bot.config import DATABASE_VARIABLE, load_settings

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE = ROOT / "compose.yaml"
IMAGE_CONFIG = ROOT / "deploy" / "config.toml"


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined."""
    joined = DOCKERFILE.read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, arguments = line.partition(" ")
            found.append((keyword.upper(), " ".join(arguments.split())))
    return found


def final_stage() -> list[tuple[str, str]]:
    """The instructions of the last FROM's stage: what the image is made of."""
    steps = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def ignored(path: str) -> bool:
    """Whether .dockerignore keeps `path` (relative to the repository) out of the build.

    As Docker reads it: a pattern is matched from the top of the repository (`**/` matches any
    folders), and a folder that matches takes everything in it along.
    """
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = Path(path).parts
    heads = ["/".join(parts[:end]) for end in range(1, len(parts) + 1)]
    tails = ["/".join(parts[start:end]) for end in range(1, len(parts) + 1) for start in range(end)]
    return any(
        any(fnmatch.fnmatch(tail, pattern.removeprefix("**/")) for tail in tails)
        if pattern.startswith("**/")
        else any(fnmatch.fnmatch(head, pattern) for head in heads)
        for pattern in patterns
    )


def image_settings() -> object:
    return load_settings(
        IMAGE_CONFIG, env={DATABASE_VARIABLE: "postgresql+asyncpg://consultbot@db/consultbot"}
    )


def test_every_file_the_image_copies_is_in_the_repository_and_not_ignored():
    copies = [arguments for keyword, arguments in instructions() if keyword == "COPY"]
    sources = [
        source
        for arguments in copies
        if "--from=" not in arguments
        for source in shlex.split(arguments)[:-1]
    ]
    assert "." in sources, "the build stage copies the repository (less .dockerignore)"
    for source in sources:
        assert (ROOT / source).exists(), f"the Dockerfile copies {source}, which is not here"
        assert source == "." or not ignored(source), f".dockerignore leaves {source} out"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    needed = ["pyproject.toml", project["project"]["readme"]]
    for package in project["tool"]["setuptools"]["packages"]["find"]["include"]:
        needed.append(package.removesuffix("*"))
    for package, data in project["tool"]["setuptools"]["package-data"].items():
        needed.extend(f"{package}/{pattern}" for pattern in data)
    for path in needed:
        matches = list(ROOT.glob(path)) if "*" in path else [ROOT / path]
        for found in matches:
            relative = found.relative_to(ROOT).as_posix()
            assert found.exists() and not ignored(relative), f"the build would lack {relative}"


def test_secrets_data_and_the_virtualenv_stay_out_of_the_build():
    for path in (".venv", ".git", "consultbot.secret", "consultbot.sqlite3", ".env", "tests"):
        assert ignored(path), path
    assert ignored("storage/__pycache__/models.cpython-312.pyc")
    assert not ignored("deploy/config.toml") and not ignored("storage/models.py")


def test_the_image_runs_as_a_non_root_user_with_a_health_check_on_its_monitoring_port():
    stage = final_stage()
    keywords = [keyword for keyword, _ in stage]
    assert stage[0][1].startswith("python:3.") and "-slim" in stage[0][1]
    users = [arguments for keyword, arguments in stage if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")
    last_run = max(i for i, keyword in enumerate(keywords) if keyword == "RUN")
    assert keywords.index("USER") > last_run, "every RUN after USER would run as that user"
    settings = image_settings()
    assert settings.monitoring_listen == "0.0.0.0"
    (healthcheck,) = [arguments for keyword, arguments in stage if keyword == "HEALTHCHECK"]
    assert f"http://127.0.0.1:{settings.monitoring_port}/healthz" in healthcheck
    exposed = {int(port) for keyword, a in stage if keyword == "EXPOSE" for port in a.split()}
    assert settings.monitoring_port in exposed and settings.webhook_port in exposed


def test_the_image_runs_the_bot_with_the_config_it_copies_and_json_logs():
    stage = final_stage()
    (entrypoint,) = [a for keyword, a in stage if keyword == "ENTRYPOINT"]
    (command,) = [a for keyword, a in stage if keyword == "CMD"]
    copied = {shlex.split(a)[-1]: shlex.split(a)[0] for keyword, a in stage if keyword == "COPY"}
    arguments = yaml.safe_load(command)
    assert yaml.safe_load(entrypoint) == ["consultbot"]
    assert arguments[0] == "run" and arguments[-2:] == ["--log-format", "json"]
    config = arguments[arguments.index("--config") + 1]
    assert copied[config] == "deploy/config.toml"


def test_compose_runs_that_image_with_postgresql_and_mounts_folders_that_exist():
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    bot, db = compose["services"]["bot"], compose["services"]["db"]
    assert bot["build"] == "." and (ROOT / bot["build"] / "Dockerfile").exists()
    assert db["image"].startswith("postgres:")
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    environment = bot["environment"]
    assert environment["CONSULTBOT_DATABASE_URL"].startswith("postgresql+asyncpg://consultbot:")
    assert "@db:5432/consultbot" in environment["CONSULTBOT_DATABASE_URL"]
    for secret in ("TELEGRAM_BOT_TOKEN", "CONSULTBOT_PSEUDONYM_SECRET", "POSTGRES_PASSWORD"):
        holder = db["environment"] if secret == "POSTGRES_PASSWORD" else environment
        assert holder[secret].startswith(f"${{{secret}:?"), f"{secret} must be required"
    mounts = {}
    for volume in bot["volumes"]:
        source, target, *_ = volume.split(":")
        assert (ROOT / source).is_dir(), f"compose mounts {source}, which is not a folder here"
        mounts[target] = ROOT / source
    config = bot["command"][bot["command"].index("--config") + 1]
    folder, name = config.rsplit("/", 1)
    assert (mounts[folder] / name).exists()
    assert db["volumes"][0].split(":")[0] in compose["volumes"]


@pytest.mark.slow
def test_the_image_builds_from_the_repository_and_its_command_runs():
    docker = shutil.which("docker")
    if docker is None:
        pytest.skip("no docker command here: the files are checked by the tests above")
    if subprocess.run([docker, "info"], capture_output=True, timeout=30).returncode != 0:
        pytest.skip("docker is installed but no Docker engine answers")
    tag = "consultation-bot:test"
    built = subprocess.run(
        [docker, "build", "--tag", tag, str(ROOT)], capture_output=True, text=True, timeout=900
    )
    assert built.returncode == 0, built.stderr[-3000:]
    ran = subprocess.run(
        [docker, "run", "--rm", tag, "check", "--config", "/etc/consultbot/config.toml"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 0, ran.stderr[-3000:]
    user = subprocess.run(
        [docker, "run", "--rm", "--entrypoint", "id", tag, "-u"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert user.stdout.strip() not in ("", "0")
