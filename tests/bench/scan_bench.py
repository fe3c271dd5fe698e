"""Scan throughput on a generated library: first scan, no-change rescan, peak RSS.

Baselines, measured in the same run on the same files:
- first scan: reading every file's tags with mutagen in one process, nothing stored;
- rescan: a bare os.walk + stat of the same tree, the floor any rescan must pay.
"""

from __future__ import annotations

import hashlib
import os
import platform
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import mutagen

from engine.ingest.fingerprint import fingerprint
from engine.library import Library
from tests.mediagen import audio_template, clone_with_tags, make_video

NFO = """<?xml version="1.0" encoding="UTF-8"?>
<episodedetails><title>Episode {e} of show {s}</title><showtitle>Show {s}</showtitle>
<season>1</season><episode>{e}</episode>
<plot>Generated plot number {n} for the scan benchmark.</plot>
<genre>Drama</genre><ratings><rating name="x" default="true"><value>7.1</value>
<votes>{n}</votes></rating></ratings></episodedetails>
"""


def generate(base: Path, audio: int, videos: int) -> tuple[Path, Path]:
    podcasts, tv = base / "Podcasts", base / "Videos"
    marker = base / f".complete-{audio}-{videos}"
    if marker.exists():
        return podcasts, tv
    shutil.rmtree(base, ignore_errors=True)
    podcasts.mkdir(parents=True)
    tv.mkdir(parents=True)
    template = audio_template(seconds=1.0)
    per_show = 100
    for n in range(audio):
        show = podcasts / f"Podcast {n // per_show:03d}"
        show.mkdir(parents=True, exist_ok=True)
        clone_with_tags(
            template,
            show / f"episode {n % per_show:03d}.mp3",
            title=f"Episode {n}",
            show=f"Podcast {n // per_show:03d}",
            description=f"<p>Show notes for episode <b>{n}</b>.</p>",
            date=f"20{10 + n % 15:02d}-{1 + n % 12:02d}-{1 + n % 28:02d}",
            podcast=True,
        )
    for n in range(videos):
        s, e = n // 50, n % 50 + 1
        folder = tv / f"Show {s:02d}" / "Season 01"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"Show {s:02d} - S01E{e:02d}"
        make_video(folder / f"{name}.mkv", seconds=0.2, width=32, height=24, seed=n)
        (folder / f"{name}.nfo").write_text(NFO.format(s=s, e=e, n=n), encoding="utf-8")
    marker.touch()
    return podcasts, tv


def _timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _mutagen_baseline(root: Path) -> None:
    for folder, _dirs, files in os.walk(root):
        for name in files:
            mutagen.File(os.path.join(folder, name))


def _walk_baseline(*roots: Path) -> None:
    for root in roots:
        for folder, _dirs, files in os.walk(root):
            for name in files:
                os.stat(os.path.join(folder, name))


def _big_files(folder: Path, count: int, size: int) -> list[str]:
    """Podcast-sized files: the fingerprint reads 128 KiB of each, whatever its size."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"big{n}.mp3"
        if not path.exists() or path.stat().st_size != size:
            path.write_bytes(os.urandom(size))
        paths.append(str(path))
    return paths


def _full_hash(path: str) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


def run(audio: int, videos: int, runs: int, rescans: int, keep: str | None) -> str:
    med = statistics.median
    base = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="reelcast-bench-"))
    try:
        t0 = time.perf_counter()
        podcasts, tv = generate(base, audio, videos)
        gen_s = time.perf_counter() - t0

        audio_s, video_s, data_dirs = [], [], []
        for i in range(runs):
            data = base / f"data-{i}"
            shutil.rmtree(data, ignore_errors=True)
            with Library(data) as lib:
                lib.add_root(podcasts, "podcast")
                audio_s.append(_timed(lib.scan))
                lib.add_root(tv, "video")
                video_s.append(_timed(lib.scan))
                items = len(lib.item_ids())
                errors = len(lib.errors())
            data_dirs.append(data)
        baseline_first = [_timed(lambda: _mutagen_baseline(podcasts)) for _ in range(runs)]

        rescan_s = []
        with Library(data_dirs[0]) as lib:
            for _ in range(rescans):
                rescan_s.append(_timed(lib.scan))
            assert lib._pool.files_read == 0, "a no-change rescan read files"
        baseline_walk = [_timed(lambda: _walk_baseline(podcasts, tv)) for _ in range(rescans)]

        big = _big_files(base / "big", count=20, size=16 << 20)
        fp_s = med([_timed(lambda: [fingerprint(p) for p in big]) for _ in range(3)]) / len(big)
        full_s = med([_timed(lambda: [_full_hash(p) for p in big]) for _ in range(3)]) / len(big)

        rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        rss_children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    finally:
        if not keep:
            shutil.rmtree(base, ignore_errors=True)

    audio_rate = audio / med(audio_s)
    base_rate = audio / med(baseline_first)
    lines = [
        f"machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
        f"library: {audio} tagged MP3s + {videos} MKVs with NFO (generated in {gen_s:.0f} s); "
        f"{items} items, {errors} errors",
        "",
        "| measure | median | baseline (same run) | ratio |",
        "| --- | --- | --- | --- |",
        f"| first scan, audio | {audio_rate:.0f} files/s ({med(audio_s):.1f} s, {runs} runs) "
        f"| mutagen tags only, 1 process: {base_rate:.0f} files/s "
        f"| {audio_rate / base_rate:.2f}× |",
        f"| first scan, video+NFO (plus a no-change pass over the audio) "
        f"| {videos / med(video_s):.0f} files/s ({med(video_s):.1f} s) "
        "| | |",
        f"| no-change rescan, {audio + videos} files | {med(rescan_s):.2f} s ({rescans} runs) "
        f"| os.walk + stat: {med(baseline_walk):.2f} s "
        f"| {med(rescan_s) / med(baseline_walk):.2f}× |",
        f"| fingerprint of a 16 MiB file (size + 2×64 KiB BLAKE2b, warm cache) "
        f"| {fp_s * 1e3:.3f} ms | BLAKE2b of the whole file: {full_s * 1e3:.1f} ms "
        f"| {fp_s / full_s:.3f}× |",
        f"| peak RSS | scanner process {rss_self:.0f} MiB, largest reader worker "
        f"{rss_children:.0f} MiB | | |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tests.bench.scan_bench")
    parser.add_argument("--audio", type=int, default=10_000, help="tagged audio files")
    parser.add_argument("--videos", type=int, default=1_000, help="videos with NFO files")
    parser.add_argument("--runs", type=int, default=3, help="first-scan repetitions")
    parser.add_argument("--rescans", type=int, default=5, help="no-change rescan repetitions")
    parser.add_argument("--keep", help="generate the library here and keep it for later runs")
    a = parser.parse_args()
    print(run(a.audio, a.videos, a.runs, a.rescans, a.keep))
