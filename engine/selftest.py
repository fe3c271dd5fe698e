"""`reelcast selftest`: prove an installed (or frozen) Reelcast works end to end, offline.

It builds the demo library in a temporary folder, scans it, embeds it with the bundled model,
and asks for recommendations, a search and a "more like this" list, timing each step. Where
transcription is installed it then loads the speech model and listens to a spoken clip given
with `--speech` (every word given with `--expect` must be heard; `make package-test` passes one
it generates), else to a demo episode, which has no speech in it. Network connections to
anything but this machine are refused for the whole run, so a step that needed the network
fails instead of quietly downloading. The temporary folder is always removed.
"""

from __future__ import annotations

import ipaddress
import logging
import os
import platform
import re
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from engine.version import app_version

if TYPE_CHECKING:
    from engine.demo.build import DemoLibrary
    from engine.library import Library

log = logging.getLogger(__name__)

ProgressFn = Callable[[str], None]

# A query whose best answer is unambiguous in engine/demo/content.py (a Roads Before Maps episode).
SEARCH_QUERY = "lighthouse keepers and coastal lights before electricity"
SEARCH_EXPECTED = "Lighthouse Keepers"
SIMILAR_SEED = "The Violin Maker's Bench"
# The same search in Chinese, answered by the multilingual packaged model (issue 16).
CHINESE_QUERY = "电灯出现以前的灯塔和守塔人"

# Without these nothing downstream can run; later steps are reported as skipped.
_REQUIRED = ("data_dir", "generate", "scan", "embed")


@dataclass
class Step:
    name: str
    ok: bool
    seconds: float
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "ok": self.ok,
            "seconds": round(self.seconds, 3),
            "detail": self.detail,
        }


@dataclass
class SelfTestReport:
    steps: list[Step] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return bool(self.steps) and all(step.ok for step in self.steps)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "steps": [step.as_dict() for step in self.steps],
            "facts": self.facts,
        }


class StepFailed(Exception):
    """A step ran but its result is wrong; `detail` says what was seen."""

    def __init__(self, message: str, detail: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.detail = detail or {}


class _Run:
    """The steps of one self-test run, sharing the library they build up."""

    def __init__(
        self,
        root: Path,
        progress: ProgressFn | None,
        speech: Path | None = None,
        expect: Sequence[str] = (),
    ) -> None:
        self.root = root
        self.progress = progress
        self.speech = speech
        self.expect = tuple(expect)
        self.report = SelfTestReport()
        self.library: Library | None = None
        self.demo: DemoLibrary | None = None

    def step(self, name: str, fn: Callable[[], dict[str, Any]]) -> bool:
        if self.progress is not None:
            self.progress(name)
        start = time.perf_counter()
        try:
            detail, ok = fn(), True
        except StepFailed as exc:
            detail, ok = {"error": str(exc), **exc.detail}, False
        except Exception as exc:  # a self-test reports every failure rather than stopping
            log.exception("self-test step %s failed", name)
            detail, ok = {"error": f"{type(exc).__name__}: {exc}"}, False
        self.report.steps.append(Step(name, ok, time.perf_counter() - start, detail))
        return ok

    def skip(self, name: str, because: str) -> None:
        self.report.steps.append(Step(name, False, 0.0, {"skipped": f"{because} failed"}))

    # --- the steps -----------------------------------------------------------------------------

    def data_dir(self) -> dict[str, Any]:
        from engine.library import Library

        self.library = Library(self.root / "data", workers=1)
        return {"path": str(self.library.data_dir)}

    def generate(self) -> dict[str, Any]:
        from engine.demo.build import make_demo_library

        self.demo = make_demo_library(self.root / "media")
        return {"files": self.demo.count}

    def scan(self) -> dict[str, Any]:
        library, demo = self._ready()
        library.add_root(demo.podcasts, "podcast")
        library.add_root(demo.videos, "video")
        counts = library.scan()
        errors = library.errors()
        detail: dict[str, Any] = {"counts": counts.as_dict(), "items": library.item_count()}
        if errors:
            first = [f"{e['path']}: {e['error']}" for e in errors[:3]]
            raise StepFailed(f"{len(errors)} files could not be read", {**detail, "errors": first})
        if counts.added != demo.count or detail["items"] != demo.count:
            raise StepFailed(f"expected {demo.count} new items", detail)
        return detail

    def embed(self) -> dict[str, Any]:
        library, demo = self._ready()
        _scanned, counts = library.index_now()
        embedder = library.model().embedder
        inner = getattr(embedder, "inner", embedder)  # a cached export's runner
        detail = {
            "checked": counts.checked,
            "embedded": counts.embedded,
            "chunks": counts.chunks,
            "model": embedder.model_id,
            # What ran the model: "openvino" / "onnxruntime" (an ONNX export) or "" (torch).
            "runtime": getattr(inner, "runtime", ""),
            "precision": getattr(inner, "precision", ""),
        }
        if counts.cancelled or counts.embedded < demo.count:
            raise StepFailed(f"expected {demo.count} items embedded", detail)
        return detail

    def recommend(self) -> dict[str, Any]:
        library, _demo = self._ready()
        rows = library.recommendations()
        detail = {"rows": [{"kind": r.kind, "count": len(r.items)} for r in rows]}
        if not any(r.kind == "for-you" and r.items for r in rows):
            raise StepFailed("the For you row is empty", detail)
        return detail

    def search(self) -> dict[str, Any]:
        return self._top_is_expected(SEARCH_QUERY)

    def similar(self) -> dict[str, Any]:
        library, _demo = self._ready()
        seed = next((i for i in library.items() if i["title"] == SIMILAR_SEED), None)
        if seed is None:
            raise StepFailed(f"{SIMILAR_SEED!r} is not in the library")
        row = library.more_like_this(int(seed["id"]), k=5)
        detail = {"seed": SIMILAR_SEED, "top": [i.title for i in row.items]}
        if not row.items or any(i.item_id == seed["id"] for i in row.items):
            raise StepFailed("no similar items (or the seed itself)", detail)
        return detail

    def multilingual(self) -> dict[str, Any]:
        """Switch to the multilingual model and search in Chinese for an English item."""
        from engine.embed.model_catalog import USE_MULTILINGUAL, installed

        library, _demo = self._ready()
        if not installed(USE_MULTILINGUAL):
            return {"skipped": f"{USE_MULTILINGUAL.distribution} is not installed"}
        if not library.switch_model(USE_MULTILINGUAL.setting):
            raise StepFailed("the switch to the multilingual model was cancelled")
        return self._top_is_expected(CHINESE_QUERY, model=library.model().embedder.model_id)

    def transcribe(self) -> dict[str, Any]:
        """Listen to the given clip (or a demo episode) with the speech model, as the app's
        transcription stage does, into the user's model cache like the app."""
        from engine.embed import speech_model

        _library, demo = self._ready()
        if not speech_model.installed():
            missing = f"faster-whisper or {speech_model.DISTRIBUTIONS} is not installed"
            if self.speech is not None:  # asked for by name: its absence is a failure
                raise StepFailed(missing)
            return {"skipped": missing}
        from engine.embed.onnx_cache import cache_root
        from engine.embed.transcriber import Transcriber

        clip = self.speech or min(demo.podcasts.rglob("*.mp3"))
        transcriber = Transcriber(cache_root())
        try:
            heard = transcriber.transcribe(str(clip))
        finally:
            transcriber.close()
        text = " ".join(segment.text for segment in heard.segments)
        detail: dict[str, Any] = {
            "model": heard.model_id,
            "folder": str(speech_model.model_folder(cache_root())),
            "clip": str(clip),
            "language": heard.language,
            "seconds_of_audio": round(heard.duration, 2),
            "heard": text[:300],
        }
        words = set(re.findall(r"\w+", text.lower()))
        unheard = [word for word in self.expect if word.lower() not in words]
        if unheard:
            raise StepFailed(f"not heard: {', '.join(unheard)}", detail)
        return detail

    def _top_is_expected(self, query: str, **extra: Any) -> dict[str, Any]:
        """Search for `query`: the demo's expected item must come first."""
        library, _demo = self._ready()
        results = library.search(query, k=5)
        detail = {
            **extra,
            "query": query,
            "expected": SEARCH_EXPECTED,
            "top": [r["title"] for r in results],
        }
        if not results or results[0]["title"] != SEARCH_EXPECTED:
            raise StepFailed(f"the top result is not {SEARCH_EXPECTED!r}", detail)
        return detail

    def _ready(self) -> tuple[Library, DemoLibrary]:
        assert self.library is not None and self.demo is not None  # _REQUIRED steps ran
        return self.library, self.demo

    def close(self) -> None:
        if self.library is None:
            return
        data = self.library.data_dir
        self.library.close()
        self.library = None
        _detach_log_handlers(data)


def run_selftest(
    progress: ProgressFn | None = None, speech: Path | None = None, expect: Sequence[str] = ()
) -> SelfTestReport:
    """Run every step in a temporary data dir (always removed); `progress(step name)` is
    called as each step starts. `speech`: a clip to transcribe, in which every word of
    `expect` must be heard."""
    with tempfile.TemporaryDirectory(prefix="reelcast-selftest-") as tmp, _no_network() as tried:
        run = _Run(Path(tmp), progress, speech, expect)
        run.report.facts.update(_facts_before(Path(tmp) / "data"))
        try:
            steps: list[tuple[str, Callable[[], dict[str, Any]]]] = [
                ("data_dir", run.data_dir),
                ("generate", run.generate),
                ("scan", run.scan),
                ("embed", run.embed),
                ("recommend", run.recommend),
                ("search", run.search),
                ("similar", run.similar),
                ("multilingual", run.multilingual),
                ("transcribe", run.transcribe),
            ]
            failed: str | None = None
            for name, fn in steps:
                if failed is not None:
                    run.skip(name, failed)
                elif not run.step(name, fn) and name in _REQUIRED:
                    failed = name
        finally:
            run.close()
        run.report.facts.update(_facts_after())
        run.report.facts["network_attempts"] = list(tried)
        run.step("offline", lambda: _offline_detail(tried))
    return run.report


# --- environment facts ---------------------------------------------------------------------------


def _facts_before(data: Path) -> dict[str, Any]:
    return {
        "version": app_version(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "frozen": bool(getattr(sys, "frozen", False)),
        "executable": sys.executable,
        "data_dir": str(data),
        "network_blocked": True,
        "hf_offline": {name: os.environ.get(name) for name in _offline_names()},
    }


def _facts_after() -> dict[str, Any]:
    from engine.embed.embedder import bundled_model_id, bundled_model_path

    facts: dict[str, Any] = {"model_id": bundled_model_id()}
    try:
        facts["model_path"] = bundled_model_path()
    except FileNotFoundError as exc:
        facts["model_path"] = None
        facts["model_error"] = str(exc)
    # Which runtime the embed step loaded: OpenVINO, else ONNX Runtime (installers and source
    # installs alike; torch only when REELCAST_EMBED_BACKEND=torch or no export could be made).
    for runtime in ("torch", "onnxruntime", "openvino"):
        module = sys.modules.get(runtime)
        facts[runtime] = getattr(module, "__version__", None) if module is not None else None
    # What the transcribe step ran: faster-whisper on CTranslate2 (None: not loaded).
    for library in ("faster_whisper", "ctranslate2"):
        module = sys.modules.get(library)
        facts[library] = getattr(module, "__version__", None) if module is not None else None
    facts["device"] = "cpu"  # both backends are asked for the CPU only
    facts["hf_offline"] = {name: os.environ.get(name) for name in _offline_names()}
    return facts


def _offline_names() -> tuple[str, ...]:
    from engine.embed.embedder import OFFLINE_ENV

    return OFFLINE_ENV


def _offline_detail(tried: list[str]) -> dict[str, Any]:
    if tried:
        raise StepFailed("something tried to reach the network", {"attempts": tried})
    return {"attempts": []}


def _detach_log_handlers(data: Path) -> None:
    # The library logs into its data dir; close that file before the folder is removed.
    root = logging.getLogger()
    for handler in list(root.handlers):
        filename = getattr(handler, "baseFilename", None)
        if filename is not None and Path(filename).is_relative_to(data):
            root.removeHandler(handler)
            handler.close()


# --- no network ---------------------------------------------------------------------------------


def _is_local(address: Any) -> bool:
    if not isinstance(address, tuple):
        return True  # AF_UNIX paths and other non-IP families never leave the machine
    host = address[0]
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in ("localhost", "localhost.localdomain", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False  # a host name: resolving it would already use the network


@contextmanager
def _no_network() -> Iterator[list[str]]:
    """Refuse connections to other machines in this process; yields the refused addresses."""
    tried: list[str] = []
    original_connect = socket.socket.connect
    original_connect_ex = socket.socket.connect_ex
    original_create = socket.create_connection

    def refuse(address: Any) -> None:
        tried.append(repr(address))
        raise OSError(f"reelcast selftest: network access to {address!r} is blocked")

    def connect(self: Any, address: Any) -> None:
        if not _is_local(address):
            refuse(address)
        original_connect(self, address)

    def connect_ex(self: Any, address: Any) -> int:
        if not _is_local(address):
            refuse(address)
        return original_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        if not _is_local(address):
            refuse(address)
        return original_create(address, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.create_connection = create_connection
    try:
        yield tried
    finally:
        socket.socket.connect = original_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = original_connect_ex  # type: ignore[method-assign]
        socket.create_connection = original_create
