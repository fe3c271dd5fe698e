"""One segment's usearch index on disk: making, naming, atomic saving and verified loading.

usearch files carry no checksum, and a bit-flipped file loads silently, so every file is read
whole, hashed against the checksum recorded when it was published, and only then parsed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path

from usearch.compiled import MetricKind, ScalarKind
from usearch.index import Index

from engine.faults import fault_point

log = logging.getLogger(__name__)

DTYPES: dict[str, ScalarKind] = {"f32": ScalarKind.F32, "f16": ScalarKind.F16, "i8": ScalarKind.I8}
SUFFIX = ".usearch"
TMP_SUFFIX = ".tmp"
# HNSW settings, by measurement (tests/bench/index_bench.py, docs/benchmarks.md): usearch's
# defaults (connectivity 16, expansion_add 128) keep recall@10 0.985-1.0 from 5k to 100k MiniLM
# vectors but fall to 0.86 at 1M in one segment; a denser graph built wider (32, 256) keeps 0.97
# at 1M with the same search width and p99 under 1 ms, for 2-3x the build time and 14 % more
# file. A segment written before keeps the graph it was built with (usearch stores it).
CONNECTIVITY = 32
EXPANSION_ADD = 256
EXPANSION_SEARCH = 64
# Passages keep usearch's graph and are searched wider: what their scale benchmark measured
# (tests/bench/passage_bench.py, docs/benchmarks.md). A root of 10,000 transcribed episodes
# holds ~1M passages; on one generated set recall@10 was 0.41 at width 64 and 0.97 at 2,048,
# on another 0.91 and 1.00 (p99 13.4 ms with the query's embedding).
PASSAGE_CONNECTIVITY = 16
PASSAGE_EXPANSION_ADD = 128
PASSAGE_SEARCH_WIDTH = 2048


def graph(family: str) -> tuple[int, int, int]:
    """(connectivity, expansion_add, expansion_search) for a family's segments."""
    if family == "passages":
        return PASSAGE_CONNECTIVITY, PASSAGE_EXPANSION_ADD, PASSAGE_SEARCH_WIDTH
    return CONNECTIVITY, EXPANSION_ADD, EXPANSION_SEARCH


class SegmentFileError(Exception):
    """A segment file is missing, does not match its checksum, or does not parse."""


def new_index(dim: int, dtype: str, family: str = "items") -> Index:
    if dtype not in DTYPES:
        raise ValueError(f"unknown index dtype {dtype!r}; use one of {sorted(DTYPES)}")
    connectivity, expansion_add, expansion_search = graph(family)
    return Index(
        ndim=dim,
        metric=MetricKind.Cos,
        dtype=DTYPES[dtype],
        connectivity=connectivity,
        expansion_add=expansion_add,
        expansion_search=expansion_search,
    )


def checksum(data: bytes | bytearray | memoryview) -> str:
    return hashlib.blake2b(data, digest_size=32).hexdigest()


def file_checksum(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=32)).hexdigest()


def model_prefix(model_id: str) -> str:
    """A file-name-safe prefix that keeps models sharing one directory apart."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", model_id).strip("_") or "model"
    return f"{slug}-{checksum(model_id.encode())[:8]}"


def file_name(prefix: str, family: str, segment: str, generation: int) -> str:
    return f"{prefix}.{family}.{segment}.g{generation}{SUFFIX}"


@dataclass(frozen=True)
class Written:
    file: str
    checksum: str
    bytes: int


def write_atomically(directory: Path, name: str, index: Index) -> Written:
    """Write the index under a new name so a crash leaves either nothing or a whole file.

    The temp file is flushed and fsynced before the rename, and the directory after it, so
    the name never points at a partly written file, even after a power cut.
    """
    data = index.save()
    if data is None:  # only when saving to a path; we always ask for bytes
        raise SegmentFileError("usearch returned no bytes")
    target = directory / name
    tmp = directory / f"{name}{TMP_SUFFIX}"
    with tmp.open("wb") as handle:
        half = len(data) // 2
        handle.write(memoryview(data)[:half])
        handle.flush()
        fault_point("index.mid_save")  # a crash here leaves half a temp file
        handle.write(memoryview(data)[half:])
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, target)
    fsync_dir(directory)
    return Written(file=name, checksum=checksum(data), bytes=len(data))


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # some platforms (Windows) cannot open a directory; rename is enough there
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def load_verified(path: Path, expected: str, dim: int, dtype: str) -> Index:
    """Read, hash, then parse into memory (not a view: the file may be replaced under us)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise SegmentFileError(f"{path.name} is missing") from exc
    except OSError as exc:
        raise SegmentFileError(f"{path.name} cannot be read: {exc}") from exc
    actual = checksum(data)
    if actual != expected:
        raise SegmentFileError(
            f"{path.name} fails its checksum ({len(data)} bytes; expected {expected[:12]}, "
            f"got {actual[:12]})"
        )
    try:
        index = Index.restore(data, expansion_search=EXPANSION_SEARCH)
    except (ValueError, RuntimeError) as exc:
        raise SegmentFileError(f"{path.name} does not parse: {exc}") from exc
    if index is None:
        raise SegmentFileError(f"{path.name} is not a usearch index")
    if index.ndim != dim:
        raise SegmentFileError(f"{path.name} has {index.ndim} dimensions, expected {dim}")
    if index.dtype != DTYPES[dtype]:
        raise SegmentFileError(f"{path.name} stores {index.dtype}, expected {dtype}")
    return index


def remove_quietly(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        log.warning("could not delete %s: %s", path, exc)
        return False
    return True
