"""The runtime the app embeds with keeps the neighbours fp32 gives (issue 15: a reduced
precision may be the default only at recall@10 >= 0.99 against fp32 exact search).

The texts are real prose nobody tuned to: the first paragraph of the standard library's
docstrings (a few hundred, shipped with Python). The full-size check is
`python -m tests.bench.openvino_bench` on the film overviews (docs/benchmarks.md).
"""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

import numpy as np
import numpy.typing as npt
import openvino
import pytest

from engine.embed.onnx_embedder import OnnxEmbedder
from engine.embed.onnx_runtimes import (
    BF16,
    F32,
    ONNXRUNTIME,
    OPENVINO,
    PRECISION_ENV,
    RUNTIME_ENV,
    native_bf16,
)
from tests.bench.embed_bench import recall_at_10

MODULES = (
    "argparse asyncio base64 bisect calendar cmd codecs collections configparser contextlib "
    "copy csv dataclasses datetime decimal difflib email enum fnmatch fractions ftplib "
    "functools gettext glob graphlib gzip hashlib heapq hmac html imaplib inspect io ipaddress "
    "itertools json locale logging mailbox math mimetypes operator pathlib pickle platform "
    "plistlib poplib pprint queue random re sched secrets selectors shlex shutil signal "
    "smtplib socket sqlite3 statistics string struct subprocess tarfile tempfile textwrap "
    "threading timeit tokenize unicodedata urllib.parse uuid warnings weakref zipfile "
    "abc array ast cmath colorsys dis gc lzma bz2 netrc numbers reprlib sysconfig trace wave "
    "xml.dom.minidom zoneinfo http.client http.cookiejar urllib.request"
).split()


def stdlib_paragraphs(min_chars: int = 80) -> list[str]:
    """First paragraphs of the public docstrings of some standard modules, and of the
    language reference topics `help()` shows, each once."""
    from pydoc_data.topics import topics

    seen: set[str] = set()
    for text in topics.values():
        paragraph = " ".join(text.strip().split("\n\n")[1:2]).replace("\n", " ").strip()
        if len(paragraph) >= min_chars:
            seen.add(" ".join(paragraph.split()))
    for name in MODULES:
        module = importlib.import_module(name)
        for attr in sorted(dir(module)):
            if attr.startswith("_"):
                continue
            doc = inspect.getdoc(getattr(module, attr, None))
            paragraph = (doc or "").split("\n\n")[0].replace("\n", " ").strip()
            if len(paragraph) >= min_chars and paragraph.endswith("."):  # prose, not signatures
                seen.add(paragraph)
    return sorted(seen)


@pytest.fixture(scope="module")
def texts() -> list[str]:
    found = stdlib_paragraphs()
    assert len(found) >= 200  # enough neighbours for recall to mean something
    return found


@pytest.fixture(scope="module")
def exact(exported: Path, texts: list[str]) -> npt.NDArray[np.float32]:
    """fp32 vectors: ONNX Runtime, which the export is checked against sentence-transformers in."""
    return OnnxEmbedder(exported, "fp32", runtime=ONNXRUNTIME).embed(texts)


def test_the_default_runtime_keeps_fp32_neighbours(
    exported: Path,
    texts: list[str],
    exact: npt.NDArray[np.float32],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the app runs on this machine (bf16 on a CPU with AMX or AVX512-BF16)."""
    monkeypatch.delenv(RUNTIME_ENV, raising=False)
    monkeypatch.delenv(PRECISION_ENV, raising=False)
    embedder = OnnxEmbedder(exported, "default")
    vectors = embedder.embed(texts)
    assert embedder.runtime == OPENVINO  # a required dependency: the default where it loads
    # bf16 exactly where the CPU computes it natively (AMX, AVX512-BF16), else f32.
    assert embedder.precision == (BF16 if native_bf16(openvino.Core()) else F32)
    assert recall_at_10(exact, vectors, len(texts)) >= 0.99
    assert float(np.min(np.sum(exact * vectors, axis=1))) > 0.999


def test_the_environment_chooses_runtime_and_precision(
    exported: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(RUNTIME_ENV, ONNXRUNTIME)
    embedder = OnnxEmbedder(exported, "x")
    embedder.load()
    assert (embedder.runtime, embedder.precision) == (ONNXRUNTIME, F32)
    monkeypatch.setenv(RUNTIME_ENV, OPENVINO)
    monkeypatch.setenv(PRECISION_ENV, F32)
    embedder = OnnxEmbedder(exported, "x")
    embedder.load()
    assert (embedder.runtime, embedder.precision) == (OPENVINO, F32)
