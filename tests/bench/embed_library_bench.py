"""Indexing a real podcast library from a fresh source install, against plain
sentence-transformers, model load included in both (issue 15).

The library is what a user has: per show, the downloads (small generated MP3s, tagged only with
their title, as many podcatchers leave them) beside the show's feed (RSS written from the real
episode texts in shared/data/podcasts: titles, dates, long descriptions). It is scanned once
(not timed). Then each measured run is a fresh process on a fresh copy of the scanned library:

- Reelcast: `Library(data).index_now()` — opening the library, loading the model with the
  install's default runtime, building each item's document, embedding every chunk, writing
  vectors to SQLite and publishing the index;
- the same with one part taken away each (`VARIANTS`): OpenVINO in f32 instead of bf16, ONNX
  Runtime instead of OpenVINO, sentence-transformers on torch instead of the ONNX export;
- baseline: import sentence-transformers, load the bundled model and
  ``encode(title + ". " + description)`` for every episode.

The runs alternate (baseline, Reelcast, each variant, ...) so a change of machine load hits
all alike.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

DATA = Path(os.environ.get("REELCAST_SHARED_DATA", "/work/shared/data"))
ROOT = Path(__file__).resolve().parents[2]


def episodes() -> list[dict[str, Any]]:
    """(show, id, title, date, description) of every real episode in shared/data/podcasts."""
    out: list[dict[str, Any]] = []
    for line in (DATA / "podcasts" / "in_our_time.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out.append(
            {
                "show": "In Our Time",
                "id": f"iot-{row['id']}",
                "title": row["title"],
                "date": _date(row.get("date")),
                "description": row.get("description") or row.get("summary") or "",
            }
        )
    nyf = DATA / "podcasts" / "new_yorker_fiction.jsonl"
    for line in nyf.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        out.append(
            {
                "show": "The New Yorker Fiction",
                "id": f"nyf-{row['id']}",
                "title": row["title"],
                "date": _date(row.get("date")),
                "description": row.get("summary") or "",
            }
        )
    return [e for e in out if e["title"]]


def _date(text: str | None) -> datetime:
    for pattern in ("%d %B %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text or "", pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    return datetime(2020, 1, 1, tzinfo=UTC)


def write_library(folder: Path, items: list[dict[str, Any]]) -> None:
    """Per show: `feed.xml` and one downloaded MP3 per episode, named as its enclosure."""
    from tests.mediagen import audio_template, clone_with_tags

    template = audio_template(0.2)
    shows: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        shows.setdefault(item["show"], []).append(item)
    for show, rows in shows.items():
        where = folder / show
        where.mkdir(parents=True, exist_ok=True)
        entries = []
        for row in rows:
            name = f"{row['id'][:60]}.mp3"
            clone_with_tags(template, where / name, title=row["title"])
            entries.append(
                "<item>"
                f"<title>{escape(row['title'])}</title>"
                f"<guid isPermaLink='false'>{escape(row['id'])}</guid>"
                f"<pubDate>{format_datetime(row['date'])}</pubDate>"
                f"<description><![CDATA[{row['description']}]]></description>"
                f"<enclosure url='https://feeds.example.invalid/{escape(name)}' "
                "length='1000' type='audio/mpeg'/>"
                "</item>"
            )
        (where / "feed.xml").write_text(
            "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
            f"<title>{escape(show)}</title><link>https://example.invalid/</link>"
            f"<description>{escape(show)}, every episode.</description>"
            + "".join(entries)
            + "</channel></rss>",
            encoding="utf-8",
        )


_INDEX = """
import json, sys, time
started = time.perf_counter()
from engine.library import Library
with Library(sys.argv[1]) as library:
    scanned, embedded = library.index_now()
    embedder = library.model().embedder
    inner = getattr(embedder, "inner", embedder)  # the export's runner: OpenVINO or ONNX Runtime
    runtime = " ".join(filter(None, (type(embedder).__name__, getattr(inner, "runtime", ""),
                                     getattr(inner, "precision", ""))))
print(json.dumps({"seconds": time.perf_counter() - started, "items": embedded.embedded,
                  "chunks": embedded.chunks, "runtime": runtime}))
"""

# name -> (label, environment): the default, then each part taken away (ablation).
VARIANTS: dict[str, tuple[str, dict[str, str]]] = {
    "reelcast": ("Reelcast `index_now`, default runtime", {}),
    "f32": (
        "the same in f32 (`REELCAST_PRECISION=f32`: what a CPU without bf16 gets)",
        {"REELCAST_PRECISION": "f32"},
    ),
    "onnxruntime": (
        "the same on ONNX Runtime fp32 (`REELCAST_ONNX_RUNTIME=onnxruntime`, before OpenVINO)",
        {"REELCAST_ONNX_RUNTIME": "onnxruntime"},
    ),
    "torch": (
        "the same on sentence-transformers (`REELCAST_EMBED_BACKEND=torch`, before ONNX)",
        {"REELCAST_EMBED_BACKEND": "torch"},
    ),
}

_BASELINE = """
import json, sys, time
started = time.perf_counter()
from sentence_transformers import SentenceTransformer
from engine.embed.embedder import bundled_model_path
texts = json.load(open(sys.argv[1], encoding="utf-8"))
model = SentenceTransformer(bundled_model_path(), device="cpu", local_files_only=True)
vectors = model.encode(texts, normalize_embeddings=True, show_progress_bar=False)
print(json.dumps({"seconds": time.perf_counter() - started, "items": len(vectors)}))
"""


def _fresh(code: str, *args: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env=os.environ | {"HF_HUB_OFFLINE": "1"} | (env or {}),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(runs: int = 1, limit: int | None = None) -> str:
    from engine.embed.embedder import bundled_model_id, bundled_model_path
    from engine.embed.onnx_cache import ensure_export
    from engine.library import Library

    items = episodes()[:limit]
    started = time.perf_counter()
    ensure_export(bundled_model_path(), bundled_model_id())  # what `make setup` leaves behind
    export_s = time.perf_counter() - started
    results: dict[str, list[dict[str, Any]]] = {"baseline": [], **{name: [] for name in VARIANTS}}
    with tempfile.TemporaryDirectory(prefix="reelcast-library-bench-") as tmp:
        work = Path(tmp)
        write_library(work / "Podcasts", items)
        scanned = work / "scanned"
        with Library(scanned) as library:
            # The bundled model is measured, not the first indexing's choice by language.
            library.update_settings(model_choice="user")
            library.add_root(work / "Podcasts", "podcast")
            counts = library.scan()
            catalogued = library.item_count() if hasattr(library, "item_count") else None
        texts = work / "texts.json"
        texts.write_text(
            json.dumps([f"{i['title']}. {i['description']}" for i in items]), encoding="utf-8"
        )
        for n in range(runs):
            results["baseline"].append(_fresh(_BASELINE, str(texts)))
            for name, (_label, env) in VARIANTS.items():
                copy = work / f"run-{name}-{n}"
                shutil.copytree(scanned, copy)
                results[name].append(_fresh(_INDEX, str(copy), env=env))
                shutil.rmtree(copy)
    base = statistics.median(r["seconds"] for r in results["baseline"])
    lines = [
        "### Indexing a podcast library from a fresh source install (model load included)",
        "",
        f"{len(items)} real episodes (feeds beside generated downloads; scan: "
        f"{counts!r}{'' if catalogued is None else f', {catalogued} items'}), "
        f"{runs} run(s) each, alternating, each in a fresh process on a fresh copy of the "
        f"scanned library. The bundled model's ONNX export was "
        f"{'made' if export_s > 2 else 'already'} in the cache ({export_s:.1f} s).",
        "",
        "| what | seconds (median) | items/s | chunks | vs baseline (same run) |",
        "|---|---|---|---|---|",
        f"| baseline: `SentenceTransformer.encode(title + description)`, torch fp32 | {base:.1f} "
        f"| {len(items) / base:.1f} | {len(items)} texts | 1.00× |",
    ]
    for name, (label, _env) in VARIANTS.items():
        seconds = statistics.median(r["seconds"] for r in results[name])
        last = results[name][-1]
        lines.append(
            f"| {label} ({last['runtime']}) | {seconds:.1f} | {last['items'] / seconds:.1f} | "
            f"{last['chunks']} | **{base / seconds:.2f}×** |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.bench.embed_library_bench")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--limit", type=int, default=None, help="first N episodes only")
    args = parser.parse_args()
    print(run(args.runs, args.limit))
