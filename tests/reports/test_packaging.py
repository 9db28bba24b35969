import os
import zipfile

import pytest

from reports.packaging import package_for_upload


async def test_a_file_within_the_limit_is_sent_as_it_is(tmp_path):
    path = tmp_path / "small.csv"
    path.write_text("respondent,answer\n")
    assert await package_for_upload(path, limit=1000) == [path]


async def test_a_file_over_the_limit_is_zipped_when_that_is_enough(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text("the same answer again\n" * 1000)
    (archive,) = await package_for_upload(path, limit=5000)
    assert archive.name == "answers.csv.zip"
    assert archive.stat().st_size <= 5000
    with zipfile.ZipFile(archive) as zipped:
        assert zipped.namelist() == ["answers.csv"]
        assert zipped.getinfo("answers.csv").compress_type == zipfile.ZIP_DEFLATED
        assert zipped.read("answers.csv") == path.read_bytes()


async def test_a_zip_still_over_the_limit_is_split_into_numbered_parts(tmp_path):
    path = tmp_path / "answers.xlsx"
    path.write_bytes(os.urandom(10_000))
    parts = await package_for_upload(path, limit=3000)
    assert [part.name for part in parts] == [f"answers.xlsx.zip.00{n}" for n in range(1, 5)]
    assert all(part.stat().st_size <= 3000 for part in parts)
    assert not (tmp_path / "answers.xlsx.zip").exists()
    joined = tmp_path / "joined.zip"
    joined.write_bytes(b"".join(part.read_bytes() for part in parts))
    with zipfile.ZipFile(joined) as zipped:
        assert zipped.read("answers.xlsx") == path.read_bytes()


async def test_parts_fill_up_to_the_limit_exactly_except_the_last(tmp_path):
    path = tmp_path / "noise.bin"
    path.write_bytes(os.urandom(50_000))
    parts = await package_for_upload(path, limit=7000)
    assert [part.stat().st_size for part in parts[:-1]] == [7000] * (len(parts) - 1)
    assert 0 < parts[-1].stat().st_size <= 7000


async def test_a_limit_below_one_byte_is_refused(tmp_path):
    with pytest.raises(ValueError):
        await package_for_upload(tmp_path / "any", limit=0)
