"""Subtitle sidecars: text extraction, language from the name, choice, encodings, bad files."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.ingest.metadata import DirContext
from engine.ingest.subtitles import (
    normalise_language,
    read_subtitles_for,
    subtitle_candidates,
)

SRT = """1
00:00:01,000 --> 00:00:03,000
<i>Hello there.</i>

2
00:00:03,500 --> 00:00:05,000
Hello there.

3
00:00:05,500 --> 00:00:07,000
<font color="#ff0000">General</font> Kenobi!
- You are a bold one.
"""

VTT = """WEBVTT

00:00:01.000 --> 00:00:02.000
<v Bob>Welcome to the <b>show</b>.

00:00:02.500 --> 00:00:04.000
Today we talk about &amp; around podcasts.
"""

# Styles are left out: pysubs2 falls back to a default style, and the lines stay short.
ASS = r"""[Script Info]
ScriptType: v4.00+

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,{\an8\pos(3,5)}{\i1}First{\i0} line\Nsecond line
Comment: 0,0:00:02.00,0:00:03.00,Default,,0,0,0,,A translator note
Dialogue: 0,0:00:03.00,0:00:04.00,Default,,0,0,0,,{\p1}m 0 0 l 100 0 100 100 0 100{\p0}
Dialogue: 0,0:00:04.00,0:00:05.00,Default,,0,0,0,,{\fad(200,200)\c&H00FF00&}Third\hline
"""


def write(path: Path, content: str | bytes) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


def srt(text: str, index: int = 1) -> str:
    return f"{index}\n00:00:0{index},000 --> 00:00:0{index},900\n{text}\n\n"


def test_srt_tags_stripped_and_repeats_dropped(tmp_path: Path) -> None:
    media = str(tmp_path / "Film.mkv")
    sub = write(tmp_path / "Film.srt", SRT)
    meta = read_subtitles_for(media, DirContext(root=str(tmp_path), subtitles=(sub,)))
    assert meta.subtitles == "Hello there.\nGeneral Kenobi!\n- You are a bold one."
    assert meta.subtitle_language is None  # no language in "Film.srt"
    assert meta.sources == {"subtitles": "subtitles"}
    assert meta.warnings == []


def test_vtt(tmp_path: Path) -> None:
    media = str(tmp_path / "Talk.mp4")
    sub = write(tmp_path / "Subs" / "Talk.de.vtt", VTT)
    meta = read_subtitles_for(media, DirContext(root=str(tmp_path), subtitles=(sub,)))
    assert meta.subtitles == "Welcome to the show.\nToday we talk about & around podcasts."
    assert meta.subtitle_language == "de"


def test_ass_override_tags_comments_and_drawings(tmp_path: Path) -> None:
    media = str(tmp_path / "Anime - 01.mkv")
    sub = write(tmp_path / "Anime - 01.jpn.ass", ASS)
    meta = read_subtitles_for(media, DirContext(root=str(tmp_path), subtitles=(sub,)))
    assert meta.subtitles == "First line\nsecond line\nThird line"
    assert meta.subtitle_language == "ja"


@pytest.mark.parametrize(
    ("name", "language", "forced"),
    [
        ("Film.srt", None, False),
        ("Film.en.srt", "en", False),
        ("Film.eng.forced.srt", "en", True),
        ("Film.forced.ger.srt", "de", True),
        ("Film.deu.srt", "de", False),
        ("Film.pt-BR.srt", "pt", False),
        ("Film.English.srt", "en", False),
        ("Film.sdh.fr.srt", "fr", False),
        ("Film.hi.srt", None, False),  # hearing-impaired flag, not Hindi
        ("Film.und.srt", None, False),
        ("Film.2.srt", None, False),
    ],
)
def test_language_from_name(tmp_path: Path, name: str, language: str | None, forced: bool) -> None:
    ctx = DirContext(root=str(tmp_path), subtitles=(str(tmp_path / name),))
    assert subtitle_candidates(str(tmp_path / "Film.mkv"), ctx) == [
        (str(tmp_path / name), language, forced)
    ]


def test_only_subtitles_of_this_media_file(tmp_path: Path) -> None:
    names = ["Film 2.srt", "Film2.en.srt", "Other.srt", "Film.txt", "film.EN.SRT", "Film.nfo"]
    ctx = DirContext(root=str(tmp_path), subtitles=tuple(str(tmp_path / n) for n in names))
    got = subtitle_candidates(str(tmp_path / "Film.mkv"), ctx)
    assert got == [(str(tmp_path / "film.EN.SRT"), "en", False)]


def test_english_preferred_then_full_then_first_by_name(tmp_path: Path) -> None:
    subs = {
        "Film.de.srt": srt("Deutsch"),
        "Film.en.forced.srt": srt("Forced"),
        "Film.en.srt": srt("English"),
        "Film.fr.srt": srt("Français"),
    }
    paths = tuple(write(tmp_path / name, body) for name, body in subs.items())
    media = str(tmp_path / "Film.mkv")
    meta = read_subtitles_for(media, DirContext(root=str(tmp_path), subtitles=paths[::-1]))
    assert (meta.subtitles, meta.subtitle_language) == ("English", "en")

    no_english = tuple(p for p in paths if ".en." not in p)
    meta = read_subtitles_for(media, DirContext(root=str(tmp_path), subtitles=no_english[::-1]))
    assert (meta.subtitles, meta.subtitle_language) == ("Deutsch", "de")


def test_cap_is_respected(tmp_path: Path) -> None:
    body = "".join(srt(f"Line number {i} with some words", 1 + i % 9) for i in range(2000))
    sub = write(tmp_path / "Long.en.srt", body)
    meta = read_subtitles_for(
        str(tmp_path / "Long.mkv"), DirContext(root=str(tmp_path), subtitles=(sub,)), cap=500
    )
    assert meta.subtitles is not None
    assert 400 < len(meta.subtitles) <= 500
    assert meta.subtitles.startswith("Line number 0 with some words\nLine number 1 ")


def test_latin1_subtitle(tmp_path: Path) -> None:
    sub = write(tmp_path / "Film.fr.srt", srt("Déjà vu, garçon ! Ça coûte 5 €").encode("cp1252"))
    meta = read_subtitles_for(
        str(tmp_path / "Film.mkv"), DirContext(root=str(tmp_path), subtitles=(sub,))
    )
    assert meta.subtitles == "Déjà vu, garçon ! Ça coûte 5 €"
    assert meta.warnings == []


def test_utf8_bom_and_utf16(tmp_path: Path) -> None:
    sub = write(tmp_path / "A.srt", b"\xef\xbb\xbf" + srt("Bom ok").encode())
    meta = read_subtitles_for(str(tmp_path / "A.mkv"), DirContext(str(tmp_path), subtitles=(sub,)))
    assert meta.subtitles == "Bom ok"
    sub = write(tmp_path / "B.srt", srt("Wide ok").encode("utf-16"))
    meta = read_subtitles_for(str(tmp_path / "B.mkv"), DirContext(str(tmp_path), subtitles=(sub,)))
    assert meta.subtitles == "Wide ok"


def test_broken_subtitle_warns_and_next_candidate_is_used(tmp_path: Path) -> None:
    broken = write(tmp_path / "Film.en.srt", b"\x00\x01\x02 not a subtitle \xff\xfe")
    good = write(tmp_path / "Film.es.srt", srt("Hola"))
    missing = str(tmp_path / "Film.en.forced.srt")
    ctx = DirContext(root=str(tmp_path), subtitles=(good, broken, missing))
    meta = read_subtitles_for(str(tmp_path / "Film.mkv"), ctx)
    assert (meta.subtitles, meta.subtitle_language) == ("Hola", "es")
    warned = dict(meta.warnings)
    assert set(warned) == {broken, missing}
    assert warned[missing].startswith("Subtitle could not be read:")
    assert warned[broken] == "Subtitle has no readable text (damaged or not a subtitle)"


def test_empty_subtitle_only_warns(tmp_path: Path) -> None:
    sub = write(tmp_path / "Film.ass", b"")
    meta = read_subtitles_for(
        str(tmp_path / "Film.mkv"), DirContext(root=str(tmp_path), subtitles=(sub,))
    )
    assert meta.subtitles is None
    assert meta.subtitle_language is None
    assert meta.warnings == [(sub, "Subtitle is empty")]


def test_no_candidates(tmp_path: Path) -> None:
    meta = read_subtitles_for(str(tmp_path / "Film.mkv"), DirContext(root=str(tmp_path)))
    assert (meta.subtitles, meta.warnings) == (None, [])


def test_normalise_language() -> None:
    assert normalise_language("EN") == "en"
    assert normalise_language("fre") == "fr"
    assert normalise_language("fra") == "fr"
    assert normalise_language("zh_CN") == "zh"
    assert normalise_language("German") == "de"
    assert normalise_language("xx") is None
    assert normalise_language("qqq") is None
    assert normalise_language("") is None
