"""The speech model as the installers ship it (issue 17): joined at build time, found in the
bundle instead of being joined into the cache, its SHA-256 checked on first use and the check
remembered until the file changes."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path

import pytest

from engine.embed import speech_model

MODEL = b"a stand-in for model.bin"


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A PyInstaller bundle holding a joined model whose SHA-256 is the pinned one."""
    root = tmp_path / "bundle"
    folder = root / speech_model.SHIPPED_DIR / speech_model.FOLDER
    folder.mkdir(parents=True)
    (folder / "model.bin").write_bytes(MODEL)
    (folder / speech_model.DONE_FILE).write_text("joined at build time", encoding="utf-8")
    monkeypatch.setattr(speech_model, "MODEL_SHA256", hashlib.sha256(MODEL).hexdigest())
    monkeypatch.setattr(sys, "_MEIPASS", str(root), raising=False)
    return folder


def test_a_source_install_has_no_shipped_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    assert speech_model.shipped_folder() is None


def test_the_shipped_model_is_checked_once_and_never_copied(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    assert speech_model.model_folder(cache) == bundle
    assert not (cache / speech_model.FOLDER).exists()  # no second copy in the cache

    def hashed(path: Path) -> str:
        raise AssertionError(f"{path} was hashed again")

    monkeypatch.setattr(speech_model, "_sha256", hashed)
    assert speech_model.model_folder(cache) == bundle  # the remembered check


def test_a_damaged_shipped_model_is_refused(bundle: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    speech_model.model_folder(cache)
    (bundle / "model.bin").write_bytes(MODEL[:-1] + b"?!")  # changed after the check
    with pytest.raises(speech_model.SpeechModelError, match="reinstall Reelcast"):
        speech_model.model_folder(cache)
    with pytest.raises(speech_model.SpeechModelError):  # refused every time, not remembered
        speech_model.model_folder(cache)


@pytest.mark.skipif(
    importlib.util.find_spec("faster_whisper") is None, reason="faster-whisper is not installed"
)
def test_the_shipped_model_needs_no_part_packages(
    bundle: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(speech_model, "PARTS", ("no_such_part_one", "no_such_part_two"))
    assert speech_model.installed()
    monkeypatch.delattr(sys, "_MEIPASS")
    assert not speech_model.installed()
