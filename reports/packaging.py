"""Getting an export under Telegram's upload limit: zip it, and split the zip if need be.

Parts are named `<file>.zip.001`, `.002`...: 7-Zip opens the first part and reads the rest; on
a Mac or Linux, `cat file.zip.* > file.zip` joins them back.
"""

import asyncio
import zipfile
from pathlib import Path

TELEGRAM_UPLOAD_LIMIT = 50_000_000
"""Bots may send files up to 50 MB; decimal megabytes, to stay on the safe side."""

COPY_CHUNK = 1 << 20


async def package_for_upload(path: Path, limit: int = TELEGRAM_UPLOAD_LIMIT) -> list[Path]:
    """The files to send for `path`: itself if small enough, else its zip, else the zip's parts.

    Runs on a worker thread (zipping a large file takes seconds). The zip's parts replace the
    whole zip; the original file is left in place.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1 byte, not {limit}")
    return await asyncio.to_thread(_package, path, limit)


def _package(path: Path, limit: int) -> list[Path]:
    if path.stat().st_size <= limit:
        return [path]
    archive = path.with_name(f"{path.name}.zip")
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(path, arcname=path.name)
    if archive.stat().st_size <= limit:
        return [archive]
    parts = _split(archive, limit)
    archive.unlink()
    return parts


def _split(path: Path, limit: int) -> list[Path]:
    """Copy `path` into consecutive parts of at most `limit` bytes each."""
    parts: list[Path] = []
    with path.open("rb") as source:
        while chunk := source.read(min(limit, COPY_CHUNK)):
            part = path.with_name(f"{path.name}.{len(parts) + 1:03d}")
            with part.open("wb") as out:
                written = 0
                while chunk:
                    out.write(chunk)
                    written += len(chunk)
                    chunk = (
                        source.read(min(limit - written, COPY_CHUNK)) if written < limit else b""
                    )
            parts.append(part)
    return parts
