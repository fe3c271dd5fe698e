"""Render the main screens of the app to PNG files, for docs/screenshots/ and the README.

`python -m tests.screenshots docs/screenshots/` renders Home, a podcast show, a film's detail
page, Search, History, the player and Settings, each in light, dark and zh_CN (light), at
1600×1000, from two libraries: the demo library (engine/demo) and a "mixed" library of
real-looking files made here with tests/mediagen.py (a podcast feed with its downloads and
chapters, Kodi-style films with NFO files and posters, and a pile of odd audio files). Files are
named `<library>-<screen>-<variant>.png` and saved as optimised palette PNGs.

Runs offscreen (QT_QPA_PLATFORM=offscreen); the screenshot test renders a subset into a
temporary folder.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QCoreApplication, QDeadlineTimer, QEventLoop, QPoint
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication

from desktop import appearance
from desktop.tasks import Tasks
from desktop.views.main_window import MainWindow
from engine.demo.build import make_demo_library
from engine.library import Library

SCREENS = ("home", "podcast", "film", "search", "history", "settings", "player")
VARIANTS = ("light", "dark", "zh_CN")
LIBRARIES = ("demo", "mixed", "chinese")
SIZE = (1600, 1000)
SEARCH_QUERY = {
    "demo": "life in a lighthouse during winter storms",
    "mixed": "walking",
    "chinese": "做面包时酵母起什么作用",
}
# A Chinese library is shown in the Chinese UI only; its Settings shot is the Model tab, which
# says why the library got the multilingual model (issue 16).
LIBRARY_VARIANTS = {"chinese": ("zh_CN",)}
SETTINGS_TAB = {"chinese": "model"}


def _wait(condition: Callable[[], bool], seconds: float = 120.0) -> None:
    deadline = QDeadlineTimer(int(seconds * 1000))
    while not condition():
        if deadline.hasExpired():
            raise TimeoutError("the screen did not reach the state to capture")
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def _settle(ms: int = 400) -> None:
    # Lets late paints (thumbnails decoded in the background, fades) land before the grab.
    deadline = QDeadlineTimer(ms)
    while not deadline.hasExpired():
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)


# --- libraries -------------------------------------------------------------------------------


def _poster(path: Path, title: str, top: tuple[int, int, int], size: tuple[int, int]) -> None:
    """A plain typographic poster (gradient, title), as a fan-made poster.jpg might be."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        colour = tuple(int(c * (1 - t) + 18 * t) for c in top)
        draw.line([(0, y), (width, y)], fill=colour)
    font = ImageFont.load_default(size=max(12, width // 9))
    words, lines, line = title.upper().split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > width * 0.84 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    y = int(height * 0.62)
    for text in lines:
        draw.text((width * 0.08, y), text, font=font, fill=(245, 240, 230))
        y += int(font.size * 1.15)
    image.save(path, format="JPEG", quality=88)


FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
     xmlns:psc="http://podlove.org/simple-chapters">
  <channel>
    <title>The Long Walk</title>
    <link>https://longwalk.example.org/</link>
    <language>en</language>
    <description>Conversations on foot: two friends walk a trail and talk about what they
    pass. Maps, weather, old roads and the people who made them.</description>
    <itunes:author>Ana &amp; Tom</itunes:author>
    <itunes:image href="https://longwalk.example.org/cover.jpg"/>
{items}
  </channel>
</rss>
"""

EPISODES = (
    ("Along the Drovers' Road", "Cattle roads across the hills, and the inns that fed them."),
    ("Stone Walls Without Mortar", "Dry-stone walling: who builds them and why they last."),
    ("The Canal at Night", "Towpaths, locks and the sound of water in the dark."),
    ("Maps That Lie", "Trap streets, phantom islands and the honest errors of surveyors."),
)


def _item(n: int, title: str, text: str) -> str:
    return f"""    <item>
      <title>{title}</title>
      <guid isPermaLink="false">longwalk-{n}</guid>
      <pubDate>Mon, 0{n + 1} Apr 2024 07:00:00 +0000</pubDate>
      <itunes:duration>00:00:06</itunes:duration>
      <description>{text} We also answer listeners' questions about boots.</description>
      <enclosure url="https://cdn.example.org/longwalk/ep{n + 1:03d}.mp3" length="90000"
                 type="audio/mpeg"/>
      <psc:chapters version="1.2">
        <psc:chapter start="00:00:00" title="Setting off"/>
        <psc:chapter start="00:00:02" title="{title.split()[-1]} and history"/>
        <psc:chapter start="00:00:04" title="Listeners' questions"/>
      </psc:chapters>
    </item>"""


FILMS = (
    (
        "Harbour Lights",
        1998,
        "A lighthouse keeper's daughter runs the light alone through a winter of storms.",
        ("Drama",),
        (40, 70, 110),
        True,
    ),
    (
        "The Quiet Orchard",
        2011,
        "Three sisters return to the family orchard the summer it is to be sold.",
        ("Drama", "Family"),
        (90, 110, 50),
        False,
    ),
    (
        "Night Ferry",
        2004,
        "A detective crosses the strait on the last boat, and so does the man she is looking for.",
        ("Thriller",),
        (110, 40, 50),
        True,
    ),
    (
        "Paper Moon Over Osaka",
        2019,
        "A translator and a pastry chef spend one sleepless night in the city.",
        ("Romance", "Comedy"),
        (120, 70, 120),
        True,
    ),
)


def make_mixed_library(root: Path) -> dict[str, Path]:
    """A podcast feed with its downloads, Kodi-style films, and odd audio files under `root`."""
    from tests.mediagen import make_audio, make_jpeg, make_video

    podcasts, videos, audio = root / "Podcasts", root / "Videos", root / "Audio"
    show = podcasts / "The Long Walk"
    show.mkdir(parents=True)
    items = "\n".join(_item(n, t, d) for n, (t, d) in enumerate(EPISODES))
    (show / "feed.xml").write_text(FEED.format(items=items), encoding="utf-8")
    _poster(show / "cover.jpg", "The Long Walk", (46, 96, 78), (600, 600))
    for n in range(3):  # three of the four episodes downloaded, named as the feed's enclosures
        make_audio(show / f"ep{n + 1:03d}.mp3", seconds=6.0, seed=10 + n)

    for title, year, plot, genres, colour, poster in FILMS:
        folder = videos / "Films" / f"{title} ({year})"
        folder.mkdir(parents=True)
        stem = folder / f"{title} ({year})"
        make_video(stem.with_suffix(".mkv"), seconds=2.0, width=320, height=180, seed=year)
        genre_tags = "".join(f"  <genre>{g}</genre>\n" for g in genres)
        stem.with_suffix(".nfo").write_text(
            f"<?xml version='1.0' encoding='UTF-8'?>\n<movie>\n  <title>{title}</title>\n"
            f"  <year>{year}</year>\n  <plot>{plot}</plot>\n{genre_tags}"
            f"  <rating>{6.4 + (year % 7) / 3:.1f}</rating>\n</movie>\n",
            encoding="utf-8",
        )
        if poster:
            _poster(folder / "poster.jpg", title, colour, (400, 600))
            _poster(folder / "fanart.jpg", "", colour, (960, 540))

    audio.mkdir(parents=True)
    make_audio(audio / "track01.mp3", seconds=3.0, seed=31)  # no tags at all
    make_audio(audio / "Voice memo 2023-05-02.m4a", seconds=2.0, seed=32)
    make_audio(
        audio / "Lecture 3 - Entropy.ogg",
        seconds=4.0,
        seed=33,
        title="Lecture 3: Entropy",
        artist="Open Physics",
        album_artist="Open Physics",
        description="Why a shuffled deck stays shuffled: entropy from counting states.",
        chapters=[(0.0, 2.0, "Counting states"), (2.0, 4.0, "The second law")],
    )
    make_audio(audio / "untitled.flac", seconds=2.0, seed=34)
    make_audio(
        audio / "Field recording - dawn.opus",
        seconds=3.0,
        seed=35,
        title="Dawn, river meadow",
        cover=make_jpeg(None, (300, 300), (200, 150, 90)),
    )
    return {"podcast": podcasts, "video": videos, "mixed": audio}


ZH_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
  <channel>
    <title>城市漫谈</title>
    <link>https://mantan.example.cn/</link>
    <language>zh-cn</language>
    <description>两位主持人每周聊一个城市里的小话题：茶馆、面包、屋顶上的蜜蜂，还有夜空。</description>
    <itunes:author>小林和阿杰</itunes:author>
{items}
  </channel>
</rss>
"""

ZH_FILMS = (
    (
        "花样年华",
        2000,
        "1962年的香港，周慕云与苏丽珍发现各自的配偶有了外遇。",
        ("剧情", "爱情"),
        ("梁朝伟", "张曼玉"),
    ),
    (
        "卧虎藏龙",
        2000,
        "江湖侠客李慕白托付青冥剑，引出一段恩怨情仇。",
        ("动作", "武侠"),
        ("周润发", "杨紫琼", "章子怡"),
    ),
    (
        "大红灯笼高高挂",
        1991,
        "民国年间，十九岁的颂莲嫁入陈家做四太太，大宅里规矩森严。",
        ("剧情",),
        ("巩俐",),
    ),
)


def make_chinese_library(root: Path) -> dict[str, Path]:
    """A Chinese podcast feed with its downloads and Kodi-style Chinese films under `root`."""
    from tests.mediagen import make_audio, make_video
    from tests.textgen import CHINESE_EPISODES

    show = root / "Podcasts" / "城市漫谈"
    show.mkdir(parents=True)
    items = []
    for n, (title, (text, _query)) in enumerate(CHINESE_EPISODES.items()):
        items.append(
            f"""    <item>
      <title>{title}</title>
      <guid isPermaLink="false">mantan-{n}</guid>
      <pubDate>Mon, 0{n + 1} Apr 2024 07:00:00 +0000</pubDate>
      <itunes:duration>00:00:06</itunes:duration>
      <description>{text}</description>
      <enclosure url="https://cdn.example.cn/mantan/ep{n + 1:03d}.mp3" length="90000"
                 type="audio/mpeg"/>
    </item>"""
        )
        if n < 5:  # five of the six downloaded
            make_audio(show / f"ep{n + 1:03d}.mp3", seconds=6.0, seed=40 + n)
    (show / "feed.xml").write_text(ZH_FEED.format(items="\n".join(items)), encoding="utf-8")
    videos = root / "Videos"
    for title, year, plot, genres, actors in ZH_FILMS:
        folder = videos / "电影" / f"{title} ({year})"
        folder.mkdir(parents=True)
        stem = folder / f"{title} ({year})"
        make_video(stem.with_suffix(".mkv"), seconds=2.0, width=320, height=180, seed=year)
        tags = "".join(f"  <genre>{g}</genre>\n" for g in genres)
        tags += "".join(f"  <actor><name>{a}</name></actor>\n" for a in actors)
        stem.with_suffix(".nfo").write_text(
            f"<?xml version='1.0' encoding='UTF-8'?>\n<movie>\n  <title>{title}</title>\n"
            f"  <year>{year}</year>\n  <plot>{plot}</plot>\n{tags}</movie>\n",
            encoding="utf-8",
        )
    return {"podcast": root / "Podcasts", "video": videos}


def _build(kind: str, work: Path) -> Library:
    library = Library(work / f"data-{kind}", workers=1)
    if kind == "demo":
        demo = make_demo_library(work / "demo")
        roots = {"podcast": demo.podcasts, "video": demo.videos}
    elif kind == "chinese":
        roots = make_chinese_library(work / "chinese")
    else:
        roots = make_mixed_library(work / "mixed")
    for root_kind, folder in roots.items():
        library.add_root(folder, root_kind)
    library.scan()
    library.index_now()
    _seed_history(library)
    return library


def _seed_history(library: Library) -> None:
    """A little history so Continue, History and the detail page have something to show."""
    profile = library.history.default_profile().id
    items = sorted(library.items(), key=lambda i: str(i["title"]))
    films = [i for i in items if i["kind"] == "movie"]
    episodes = [i for i in items if i["kind"] == "podcast"]
    if films:
        library.history.mark_watched(profile, films[0]["id"])
        session = library.history.start_session(profile, films[-1]["id"])
        library.history.end_session(session, 0.8, 2.0)
    for n, item in enumerate(episodes[:2]):
        session = library.history.start_session(profile, item["id"])
        library.history.end_session(session, 1.5 + n, 6.0)


# --- screens ---------------------------------------------------------------------------------


def _pick(library: Library) -> dict[str, int]:
    items = sorted(library.items(), key=lambda i: str(i["title"]))
    films = [i for i in items if i["kind"] == "movie"]
    # The film with a poster and a description: the most telling detail page.
    film = next((i for i in films if library.artwork(int(i["id"]))), films[0] if films else None)
    audio = [i for i in items if i["kind"] == "podcast"]
    covered = next((i for i in audio if library.artwork(int(i["id"]))), audio[0])
    return {"film": int((film or items[0])["id"]), "audio": int(covered["id"])}


def _capture(window: MainWindow, screen: str, library: Library, kind: str) -> QImage:
    picks = _pick(library)
    if screen == "home":
        window.go_to("home")
        _wait(lambda: window._populated)
    elif screen == "podcast":
        window.go_to("podcasts")
        _wait(lambda: window.podcasts.model.rowCount() > 0 and not window.podcasts.loading)
        window.podcasts.set_view_mode("grid")  # the show's episodes as cards with their art
    elif screen == "film":
        loaded: list[bool] = []
        window.detail.similarLoaded.connect(lambda: loaded.append(True))
        window.go_to("home")  # opened from Home, as a user would (Home stays selected)
        window.show_detail(picks["film"])
        _wait(lambda: window.detail.details() is not None and bool(loaded))
        label = window.detail.artwork
        _wait(
            lambda: (
                label.art is None
                or window.detail.art_provider.ready(
                    label.art, label.size(), label.devicePixelRatioF()
                )
            )
        )
    elif screen == "search":
        window.go_to("search")
        done: list[bool] = []
        window.search.searched.connect(lambda: done.append(True))
        window.search.set_query(SEARCH_QUERY[kind])
        _wait(lambda: bool(done))
    elif screen == "history":
        window.go_to("history")
        _wait(lambda: not window.history_page.busy)
    elif screen == "player":
        window.podcasts.set_view_mode("list")
        window.go_to("podcasts")
        window.play(picks["audio"])
        player = window.player
        assert player is not None
        _wait(lambda: player.media.position() > 500)
        player.toggle_play()  # paused a little way in
    elif screen == "settings":
        window.go_to("home")
        dialog = window.open_settings(SETTINGS_TAB.get(kind, "appearance"))
        shown: list[bool] = []
        dialog.model_tab.adviceShown.connect(lambda: shown.append(True))
        _wait(lambda: bool(shown))
        _settle()
        image = window.grab().toImage()
        _overlay(image, dialog.grab().toImage())
        dialog.close()
        return image
    _settle()
    return window.grab().toImage()


def _overlay(image: QImage, dialog: QImage) -> None:
    """A modal dialog over the window as a compositor shows it: centred, on a dimmed page."""
    painter = QPainter(image)
    painter.fillRect(image.rect(), QColor(0, 0, 0, 90))
    at = QPoint((image.width() - dialog.width()) // 2, (image.height() - dialog.height()) // 2)
    painter.drawImage(at, dialog)
    painter.end()


def save_png(image: QImage, path: Path) -> Path:
    """An optimised PNG: 256-colour palette (UI screenshots have few colours), zlib level 9."""
    from PIL import Image

    buffer = QBuffer()
    buffer.open(QBuffer.OpenModeFlag.WriteOnly)
    image.convertToFormat(QImage.Format.Format_RGB32).save(buffer, "PNG")
    picture = Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGB")
    picture = picture.quantize(
        colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
    )
    picture.save(path, format="PNG", optimize=True)
    return path


def render(
    out: Path,
    work: Path,
    *,
    libraries: Iterable[str] = LIBRARIES,
    variants: Iterable[str] = VARIANTS,
    screens: Iterable[str] = SCREENS,
) -> list[Path]:
    """Each library → scanned, embedded, a little history → each screen in each variant."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    shots: list[Path] = []
    screens, variants = list(screens), list(variants)
    for kind in libraries:
        library = _build(kind, work)
        tasks = Tasks()
        try:
            for variant in (v for v in variants if v in LIBRARY_VARIANTS.get(kind, VARIANTS)):
                appearance.apply_theme(app, "dark" if variant == "dark" else "light")
                appearance.install_language(app, "zh_CN" if variant == "zh_CN" else "en")
                # Each variant starts as a first start does: no window state kept from the last.
                (Path(library.data_dir) / "window.ini").unlink(missing_ok=True)
                window = MainWindow(library, tasks, watch=False)
                window.resize(*SIZE)
                window.show()
                try:
                    for screen in screens:
                        image = _capture(window, screen, library, kind)
                        shots.append(save_png(image, out / f"{kind}-{screen}-{variant}.png"))
                finally:
                    window.close()
                    window.deleteLater()
                    _settle(100)
        finally:
            tasks.wait()
            library.close()
    appearance.install_language(app, "en")
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.screenshots")
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--library", choices=LIBRARIES, action="append")
    parser.add_argument("--variant", choices=VARIANTS, action="append")
    parser.add_argument("--screen", choices=SCREENS, action="append")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app: Any = QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for path in render(
            args.out,
            Path(work),
            libraries=args.library or LIBRARIES,
            variants=args.variant or VARIANTS,
            screens=args.screen or SCREENS,
        ):
            print(path)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
