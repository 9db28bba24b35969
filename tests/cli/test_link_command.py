"""`consultbot link` from a terminal: the deep link it prints, the QR code it writes (read back
by a real QR decoder), and a clear error for every link Telegram or the bot would get wrong."""

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from bot.cli import main

zxingcpp = pytest.importorskip("zxingcpp", reason="reading QR codes back needs zxing-cpp")

Run = Callable[..., subprocess.CompletedProcess[str]]
BOT = "--username=medway_send_bot"


def decoded(png: Path) -> list[str]:
    """The texts of every QR code in the image, as a phone's camera would read them."""
    with Image.open(png) as image:
        return [found.text for found in zxingcpp.read_barcodes(image)]


def test_link_prints_the_deep_link_and_writes_a_qr_code_that_reads_back_as_it(
    consultbot: Run, tmp_path: Path
):
    poster = tmp_path / "poster.png"

    done = consultbot(
        "link", "--source", "library_poster", "--audience", "parent_carer", "--qr", str(poster), BOT
    )

    link = "https://t.me/medway_send_bot?start=parent_carer__library_poster"
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [link, f"QR code: {poster}"]
    assert decoded(poster) == [link]
    with Image.open(poster) as image:
        assert image.format == "PNG"
        assert image.size[0] == image.size[1] >= 300  # big enough to print sharp


def test_the_bots_username_comes_from_the_config_and_a_source_alone_is_a_link(
    consultbot: Run, tmp_path: Path
):
    config = tmp_path / "consultbot.toml"
    config.write_text('[telegram]\nusername = "@medway_send_bot"\n', encoding="utf-8")

    done = consultbot("link", "--config", str(config), "--source", "school-42")

    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "https://t.me/medway_send_bot?start=school-42"
    assert list(tmp_path.glob("*.png")) == []  # no --qr, no picture


def test_an_audience_alone_is_a_link_too(consultbot: Run):
    done = consultbot("link", "--audience", "young_person", BOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "https://t.me/medway_send_bot?start=young_person"


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        ((BOT,), "give --source, --audience or both"),
        (
            ("--audience", "teacher", BOT),
            "no audience 'teacher' in this consultation. "
            "Fix: use one of young_person, parent_carer, professional",
        ),
        (("--source", "library poster", BOT), "Fix: use only letters, digits, _ and -"),
        (("--source", "café", BOT), "has characters a Telegram link cannot carry"),
        (("--source", "library__poster", BOT), "Fix: use a single _ instead"),
        (("--source", "parent_carer", BOT), "Fix: use --audience parent_carer"),
        (
            ("--source", "x" * 60, "--audience", "parent_carer", BOT),
            "is 74 characters; Telegram takes 64. Fix: make --source 10 characters shorter",
        ),
        (
            ("--source", "library_poster"),
            "Fix: set [telegram] username in the config, or pass --username",
        ),
        (("--source", "library_poster", "--username", "medway"), "is not a bot's username"),
        (
            ("--source", "library_poster", BOT, "--qr", "poster.jpg"),
            "is not a .png file. Fix: end the name with .png",
        ),
        (
            ("--source", "library_poster", BOT, "--qr", "posters/poster.png"),
            "posters: there is no such folder",
        ),
    ],
)
def test_a_link_that_would_not_work_is_refused_with_the_fix_and_nothing_is_written(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    arguments: tuple[str, ...],
    says: str,
):
    monkeypatch.chdir(tmp_path)  # the console script's own function, in this process: quicker

    assert main(["link", *arguments]) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("consultbot: ")
    assert says in err
    assert list(tmp_path.rglob("*.png")) == list(tmp_path.rglob("*.jpg")) == []


def test_the_installed_command_refuses_a_bad_link_with_a_message_not_a_traceback(
    consultbot: Run, tmp_path: Path
):
    done = consultbot("link", "--source", "library__poster", BOT, "--qr", "poster.png")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("consultbot: --source: 'library__poster' contains __")
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "poster.png").exists()


def test_the_longest_payload_telegram_takes_is_accepted(capsys: pytest.CaptureFixture[str]):
    source = "s" * (64 - len("parent_carer__"))
    assert main(["link", "--source", source, "--audience", "parent_carer", BOT]) == 0
    assert capsys.readouterr().out.strip().endswith(f"?start=parent_carer__{source}")
