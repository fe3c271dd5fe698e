"""The acceptance corpus as a report (`make bench ARGS=corpus`, or
`python -m tests.bench.corpus_bench [--against DIR]`): files in every supported format and their
damaged variants (tests/corpus.py), scanned into a fresh library; per variant, how many files an
independent reader (tinytag) can read and how many of those the library lists under that title.

`--against DIR` scans the same corpus with another checkout's engine (a git worktree of an older
commit) in a subprocess, for a same-run baseline.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests import corpus


def _scan(media: Path, data: Path) -> dict[str, object]:
    from engine.library import Library

    files = corpus.generate(media)
    library = Library(data, workers=2)
    try:
        library.add_root(media, "mixed")
        started = time.monotonic()
        library.scan()
        seconds = time.monotonic() - started
        report = corpus.check(library, files)
    finally:
        library.close()
    return {
        "files": report.files,
        "readable": report.readable,
        "listed": report.listed,
        "unexplained": len(report.unexplained),
        "by_variant": report.by_variant,
        "not_listed": report.not_listed,
        "seconds": seconds,
    }


def _row(name: str, result: dict[str, object]) -> str:
    readable, listed = int(str(result["readable"])), int(str(result["listed"]))
    share = listed / readable if readable else 1.0
    return (
        f"| {name} | {result['files']} | {readable} | {listed} | {share:.1%} | "
        f"{result['unexplained']} |"
    )


def run(against: str | None = None) -> str:
    with tempfile.TemporaryDirectory(prefix="reelcast-corpus-") as tmp:
        now = _scan(Path(tmp) / "media", Path(tmp) / "data")
        base = None
        if against:
            code = (
                "import json, sys; from pathlib import Path; from tests.bench import corpus_bench;"
                "print(json.dumps(corpus_bench._scan(Path(sys.argv[1]), Path(sys.argv[2]))))"
            )
            out = subprocess.run(
                [sys.executable, "-c", code, f"{tmp}/media-base", f"{tmp}/data-base"],
                cwd=against,
                capture_output=True,
                text=True,
                check=True,
                env={"PYTHONPATH": against, "PATH": "/usr/bin:/bin"},
            ).stdout
            base = json.loads(out.strip().splitlines()[-1])
    lines = [
        "| engine | files | tinytag reads a title | listed under it | share | no reason |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        _row("this tree", now),
    ]
    if base is not None:
        lines.append(_row(f"baseline ({against})", base))
    lines += ["", "| variant | readable | listed |", "| --- | ---: | ---: |"]
    by_variant = now["by_variant"]
    assert isinstance(by_variant, dict)
    for variant, (readable, listed) in sorted(by_variant.items()):
        lines.append(f"| {variant} | {readable} | {listed} |")
    not_listed = now["not_listed"]
    assert isinstance(not_listed, list)
    for name, reason in not_listed:
        lines.append(f"\nnot listed: {name}: {reason}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--against", help="a checkout to scan the same corpus with, as baseline")
    print(run(parser.parse_args().against))


if __name__ == "__main__":
    main()
