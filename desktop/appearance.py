"""The app's look and language: a light or dark theme (or the OS's), and the UI translation.

The look is the design tokens of `desktop/theme.py` (docs/design.md) applied as a QPalette and
one app stylesheet; widgets ask for a text style or a primary button through dynamic properties
(`textStyle`, `primary`) instead of setting fonts and colours themselves.

Both are applied to the whole `QApplication`; the settings dialog only reports a change and the
main window calls these functions. Nothing here is global: the installed translators are
children of the application, which keeps them alive and lets the next call find and replace them.
"""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from desktop import theme
from desktop.theme import Colors

log = logging.getLogger(__name__)

__all__ = [
    "SOURCE_LANGUAGE",
    "apply_theme",
    "current_colors",
    "dark_palette",
    "default_translations_dir",
    "install_language",
    "light_palette",
    "palette_for",
    "style_name",
    "stylesheet",
]

SOURCE_LANGUAGE = "en"  # the language the strings in the code are written in
_PLURALS_NAME = "reelcast-source-plurals"  # the English plural forms' translator
_TRANSLATOR_NAME = "reelcast-translator"  # object name marking the translators installed here
_NATIVE_STYLE = "reelcastNativeStyle"  # app property: the style the app started with

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup
_THEME_APPLIED = "reelcastTheme"  # app property: "light" or "dark" once ours is applied
_STYLE_DIR = "reelcastStyleDir"  # app property: where the tinted combo arrow is written
_STYLE = "reelcastStyle"  # app property: the style set here (lower case)
_SCHEME_HOOKED = "reelcastSchemeHooked"  # app property: following the OS's light/dark switch


def palette_for(colors: Colors) -> QPalette:
    """The QPalette of a set of colour roles: every Qt role is taken from a design token, so a
    widget that paints from its palette (item views, the Fusion style) matches the stylesheet."""
    c = colors
    table: tuple[tuple[QPalette.ColorRole, str, str | None], ...] = (
        (_Role.Window, c.window, None),
        (_Role.WindowText, c.text, c.text_disabled),
        (_Role.Base, c.surface, c.window),
        (_Role.AlternateBase, c.window, None),
        (_Role.ToolTipBase, c.tooltip, None),
        (_Role.ToolTipText, c.tooltip_text, None),
        (_Role.PlaceholderText, c.text_muted, None),
        (_Role.Text, c.text, c.text_disabled),
        (_Role.Button, c.surface_raised, None),
        (_Role.ButtonText, c.text, c.text_disabled),
        (_Role.BrightText, c.error, None),
        (_Role.Light, c.surface, None),
        (_Role.Midlight, c.surface_raised, None),
        (_Role.Mid, c.border, None),
        (_Role.Dark, c.progress_track, None),
        (_Role.Shadow, "#000000", None),
        # Selected rows: the accent, faint (as in Plex and Jellyfin), with the normal text.
        (_Role.Highlight, _over(c.selected, c.surface), c.border),
        (_Role.HighlightedText, c.text, c.text_disabled),
        (_Role.Link, c.accent, None),
        (_Role.LinkVisited, c.accent, None),
        (_Role.Accent, c.accent, c.border),
    )
    palette = QPalette()
    for role, active, disabled in table:
        palette.setColor(_Group.All, role, QColor(active))
        if disabled is not None:
            palette.setColor(_Group.Disabled, role, QColor(disabled))
    return palette


def _over(color: str, base: str) -> str:
    """`color` (possibly translucent) laid over the opaque `base`, as one opaque colour."""
    top, under = QColor(color), QColor(base)
    a = top.alphaF()
    mixed = QColor.fromRgbF(
        top.redF() * a + under.redF() * (1 - a),
        top.greenF() * a + under.greenF() * (1 - a),
        top.blueF() * a + under.blueF() * (1 - a),
    )
    return mixed.name()


def dark_palette() -> QPalette:
    return palette_for(theme.DARK)


def light_palette() -> QPalette:
    return palette_for(theme.LIGHT)


def _rgba(color: str) -> str:
    q = QColor(color)
    return f"rgba({q.red()}, {q.green()}, {q.blue()}, {q.alpha()})"


def _pt(base: float, style: str) -> str:
    scale, _weight = theme.TYPE[style]
    return f"{base * scale:.1f}pt"


def stylesheet(colors: Colors, base_pt: float = 10.0, chevron: str = "") -> str:
    """The one app stylesheet (docs/design.md): controls, the sidebar, scrollbars, tooltips,
    menus, tabs and text styles, all from the tokens. Labels take a text style from the dynamic
    property `textStyle` ("display", "headline", "title", "subtitle", "caption", "overline",
    "muted"); a push button with `primary` set is the accent-filled main action. `chevron` is
    an image file for the combo boxes' arrow (stylesheets cannot tint an icon)."""
    c = {k: _rgba(v) for k, v in vars(colors).items() if isinstance(v, str)}
    s, r = theme.SPACE, theme.RADIUS
    ring = f"2px solid {c['focus_ring']}"
    weights = {name: w for name, (_scale, w) in theme.TYPE.items()}
    text_styles = "\n".join(
        f'QLabel[textStyle="{name}"] {{ font-size: {_pt(base_pt, name)}; '
        f"font-weight: {weights[name]}; }}"
        for name in ("display", "headline", "title", "subtitle", "caption", "overline")
    )
    return f"""
QToolTip {{ background: {c["tooltip"]}; color: {c["tooltip_text"]}; border: none;
    padding: {s["xs"]}px {s["s"]}px; border-radius: {r["control"]}px; }}
QMainWindow::separator {{ background: {c["border"]}; width: 1px; height: 1px; }}
QSplitter::handle {{ background: {c["border"]}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
QSplitter::handle:vertical {{ height: 1px; }}
QStatusBar {{ background: {c["surface"]}; color: {c["text_muted"]};
    border-top: 1px solid {c["border"]}; }}
QStatusBar QLabel {{ color: {c["text_muted"]}; padding: 0 {s["xs"]}px; }}
QMenuBar {{ background: {c["surface"]}; color: {c["text"]}; }}
QMenuBar::item {{ padding: {s["xs"]}px {s["s"]}px; border-radius: {r["control"]}px; }}
QMenuBar::item:selected {{ background: {c["hover"]}; }}
QMenu {{ background: {c["surface"]}; color: {c["text"]}; border: 1px solid {c["border"]};
    padding: {s["xs"]}px; }}
QMenu::item {{ padding: {s["xs"] + 2}px {s["xl"]}px {s["xs"] + 2}px {s["m"]}px;
    border-radius: {r["control"]}px; }}
QMenu::item:selected {{ background: {c["selected"]}; color: {c["text"]}; }}
QMenu::item:disabled {{ color: {c["text_disabled"]}; }}
QMenu::separator {{ height: 1px; background: {c["border"]}; margin: {s["xs"]}px {s["s"]}px; }}

/* The sidebar: a quiet surface; the selected section filled with the faint accent. */
QWidget#sidebar {{ background: {c["surface"]}; }}
QListWidget#sections {{ background: transparent; border: none; outline: 0;
    color: {c["text_muted"]}; font-size: {_pt(base_pt, "subtitle")}; }}
QListWidget#sections::item {{ padding: {s["s"]}px {s["m"]}px; margin: 1px 0;
    border-radius: {r["control"]}px; border: 2px solid transparent; }}
QListWidget#sections::item:hover {{ background: {c["hover"]}; color: {c["text"]}; }}
QListWidget#sections::item:selected {{ background: {c["selected"]}; color: {c["text"]};
    font-weight: 600; }}
QListWidget#sections::item:focus {{ border: {ring}; }}
QPushButton#sidebarButton {{ text-align: left; padding: {s["s"]}px {s["m"]}px;
    color: {c["text_muted"]}; font-size: {_pt(base_pt, "subtitle")}; }}
QPushButton#sidebarButton:hover {{ color: {c["text"]}; }}
QWidget#sidebar QLabel#brand {{ font-size: {_pt(base_pt, "title")}; font-weight: 700;
    color: {c["text"]}; padding: {s["s"]}px {s["m"]}px; }}

/* Buttons: raised surfaces; the focus ring is 2 px of the ring colour, never just a dotted line. */
QPushButton {{ background: {c["surface_raised"]}; color: {c["text"]};
    border: 2px solid transparent; border-radius: {r["control"]}px;
    padding: {s["xs"] + 1}px {s["m"]}px; min-height: 20px; }}
QPushButton:hover {{ background: {c["border"]}; }}
QPushButton:pressed {{ background: {c["progress_track"]}; }}
QPushButton:checked {{ background: {c["selected"]}; color: {c["text"]}; }}
QPushButton:focus {{ border: {ring}; }}
QPushButton:disabled {{ color: {c["text_disabled"]}; background: {c["surface"]}; }}
QPushButton:flat {{ background: transparent; }}
QPushButton:flat:hover {{ background: {c["hover"]}; }}
QPushButton[primary="true"] {{ background: {c["accent"]}; color: {c["accent_text"]};
    font-weight: 600; padding: {s["xs"] + 1}px {s["l"]}px; }}
QPushButton[primary="true"]:hover {{ background: {c["focus_ring"]}; }}
QPushButton[primary="true"]:focus {{ border: 2px solid {c["text"]}; }}
QPushButton[primary="true"]:disabled {{ background: {c["border"]}; color: {c["text_disabled"]}; }}
QToolButton {{ background: transparent; color: {c["text"]}; border: 2px solid transparent;
    border-radius: {r["control"]}px; padding: {s["xs"]}px; }}
QToolButton:hover {{ background: {c["hover"]}; }}
QToolButton:pressed {{ background: {c["pressed"]}; }}
QToolButton:checked {{ background: {c["selected"]}; }}
QToolButton:focus {{ border: {ring}; }}
QToolButton[round="true"] {{ border-radius: 18px; background: {c["surface_raised"]}; }}
QToolButton[round="true"]:hover {{ background: {c["border"]}; }}
QToolButton[round="true"]:checked {{ background: {c["selected"]}; }}

/* Fields */
QLineEdit, QPlainTextEdit, QTextEdit, QSpinBox, QDoubleSpinBox {{
    background: {c["surface"]}; color: {c["text"]}; border: 1px solid {c["border"]};
    border-radius: {r["control"]}px; padding: {s["xs"] + 1}px {s["s"]}px;
    selection-background-color: {c["accent"]}; selection-color: {c["accent_text"]}; }}
QLineEdit:hover, QSpinBox:hover {{ border-color: {c["text_disabled"]}; }}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QSpinBox:focus {{ border: {ring};
    padding: {s["xs"]}px {s["s"] - 1}px; }}
QComboBox {{ background: {c["surface"]}; color: {c["text"]}; border: 1px solid {c["border"]};
    border-radius: {r["control"]}px; padding: {s["xs"]}px {s["s"]}px; min-height: 20px; }}
QComboBox:hover {{ border-color: {c["text_disabled"]}; }}
QComboBox::drop-down {{ border: none; width: 24px; subcontrol-position: center right; }}
QComboBox::down-arrow {{ image: url({chevron}); width: 16px; height: 16px; }}
QComboBox:focus {{ border: {ring}; }}
QComboBox QAbstractItemView {{ background: {c["surface"]}; color: {c["text"]};
    selection-background-color: {c["selected"]}; selection-color: {c["text"]};
    border: 1px solid {c["border"]}; outline: 0; }}

/* Item views keep their frames (the card shelves set their own); headers are quiet. */
QHeaderView::section {{ background: {c["surface"]}; color: {c["text_muted"]}; border: none;
    border-bottom: 1px solid {c["border"]}; padding: {s["xs"]}px {s["xs"]}px;
    font-weight: 600; }}
QTableView {{ gridline-color: {c["surface"]}; }}
QListWidget#historyList, QListWidget#chapterList {{ background: transparent; border: none; }}
QListWidget#historyList::item {{ padding: {s["xs"]}px 0; }}
QListWidget#chapterList::item {{ padding: {s["xs"]}px {s["xs"]}px; border-radius: {r["control"]}px;
    border: 2px solid transparent; }}
QListWidget#chapterList::item:hover {{ background: {c["hover"]}; }}
QListWidget#chapterList::item:selected {{ background: {c["selected"]}; color: {c["text"]}; }}
QListWidget#chapterList::item:focus {{ border: {ring}; }}
QTableCornerButton::section {{ background: {c["surface"]}; border: none; }}

/* Scrollbars: thin, no arrows, a rounded handle that darkens under the pointer. */
QScrollBar:vertical {{ background: transparent; width: 12px; margin: 0; }}
QScrollBar:horizontal {{ background: transparent; height: 12px; margin: 0; }}
QScrollBar::handle:vertical {{ background: {c["scrollbar"]}; min-height: 32px;
    border-radius: 4px; margin: 2px 3px; }}
QScrollBar::handle:horizontal {{ background: {c["scrollbar"]}; min-width: 32px;
    border-radius: 4px; margin: 3px 2px; }}
QScrollBar::handle:hover {{ background: {c["text_muted"]}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}

/* Tabs (Settings), group boxes, dock titles */
QTabWidget::pane {{ border: 1px solid {c["border"]}; border-radius: {r["card"]}px;
    background: {c["surface"]}; top: -1px; }}
QTabBar::tab {{ background: transparent; color: {c["text_muted"]};
    padding: {s["s"]}px {s["l"]}px; border: 2px solid transparent;
    border-bottom: 2px solid transparent; margin-right: {s["xs"]}px; }}
QTabBar::tab:hover {{ color: {c["text"]}; background: {c["hover"]};
    border-top-left-radius: {r["control"]}px; border-top-right-radius: {r["control"]}px; }}
QTabBar::tab:selected {{ color: {c["text"]}; border-bottom: 2px solid {c["accent"]};
    font-weight: 600; }}
QTabBar::tab:focus {{ border: {ring}; border-radius: {r["control"]}px; }}
QGroupBox {{ border: 1px solid {c["border"]}; border-radius: {r["card"]}px;
    margin-top: {s["l"]}px; padding: {s["m"]}px {s["s"]}px {s["s"]}px {s["s"]}px; }}
QGroupBox::title {{ subcontrol-origin: margin; left: {s["m"]}px; padding: 0 {s["xs"]}px;
    color: {c["text_muted"]}; font-weight: 600; }}
QDockWidget {{ color: {c["text_muted"]}; }}
QDockWidget::title {{ background: {c["surface"]}; padding: {s["xs"] + 2}px {s["s"]}px;
    border-bottom: 1px solid {c["border"]}; }}
QCheckBox:focus, QRadioButton:focus {{ color: {c["accent"]}; }}
QProgressBar {{ background: {c["progress_track"]}; border: none; border-radius: 3px;
    max-height: 6px; text-align: center; color: transparent; }}
QProgressBar::chunk {{ background: {c["accent"]}; border-radius: 3px; }}

/* Text styles (docs/design.md "Type") */
{text_styles}
QLabel[textStyle="muted"] {{ color: {c["text_muted"]}; }}
QLabel[textStyle="overline"] {{ color: {c["text_muted"]}; }}
QLabel[textStyle="caption"] {{ color: {c["text_muted"]}; }}
QLabel[tone="warning"] {{ color: {c["warning"]}; }}
QLabel[tone="error"] {{ color: {c["error"]}; }}
QLabel[tone="watched"] {{ color: {c["watched"]}; }}
QFrame[card="true"] {{ background: {c["surface"]}; border: 1px solid {c["border"]};
    border-radius: {r["card"]}px; }}
"""


def current_colors(app: QApplication | None = None) -> Colors:
    """The colour roles in force: the applied theme, else the OS's light or dark."""
    app = app or QApplication.instance()  # type: ignore[assignment]
    applied = app.property(_THEME_APPLIED) if isinstance(app, QApplication) else None
    if applied in ("light", "dark"):
        return theme.colors_for(applied == "dark")
    return theme.colors_for(_os_is_dark(app))


def _os_is_dark(app: object) -> bool:
    if not isinstance(app, QApplication):
        return False
    return app.styleHints().colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, theme_name: str) -> None:
    """Reelcast's look in "light", "dark" or "system" (the OS's light/dark choice, followed as
    it changes): the Fusion style, a palette from the design tokens and one app stylesheet.
    Media apps keep their own look on every platform; only the light/dark choice is the OS's.
    "native" leaves the platform's style and palette alone (and no stylesheet)."""
    native = app.property(_NATIVE_STYLE)
    if not isinstance(native, str) or not native:
        native = app.style().name()
        app.setProperty(_NATIVE_STYLE, native)  # a plain string: safe as a Qt property
    hints = app.styleHints()
    # Qt 6.8+ can ask the platform for a colour scheme; older versions only read it.
    can_request = hasattr(hints, "setColorScheme")
    if theme_name == "native":
        if can_request:
            hints.setColorScheme(Qt.ColorScheme.Unknown)
        app.setProperty(_THEME_APPLIED, "")
        app.setStyleSheet("")
        if style_name(app) != native.lower():
            app.setStyle(native)
        app.setProperty(_STYLE, native.lower())
        app.setPalette(QPalette())  # an empty palette: the style's and platform's own colours
        return
    if theme_name in ("light", "dark"):
        dark = theme_name == "dark"
        if can_request:
            hints.setColorScheme(Qt.ColorScheme.Dark if dark else Qt.ColorScheme.Light)
    else:
        if can_request:
            hints.setColorScheme(Qt.ColorScheme.Unknown)
        dark = _os_is_dark(app)
        if not app.property(_SCHEME_HOOKED):
            app.setProperty(_SCHEME_HOOKED, True)
            hints.colorSchemeChanged.connect(lambda _scheme: _follow_os(app))
    app.setProperty(_THEME_APPLIED, "dark" if dark else "light")
    app.setProperty("reelcastThemeSetting", theme_name)
    colors = theme.colors_for(dark)
    if style_name(app) != "fusion":
        app.setStyle("Fusion")
    app.setProperty(_STYLE, "fusion")
    app.setPalette(palette_for(colors))
    base = QFont(app.font()).pointSizeF()
    app.setStyleSheet(stylesheet(colors, base if base > 0 else 10.0, _chevron(app, colors)))


def _chevron(app: QApplication, colors: Colors) -> str:
    """The combo boxes' arrow as a PNG tinted for this theme, in a folder of this process's
    (removed at exit); "" if it cannot be written (the style's arrow then shows)."""
    from desktop import icons

    folder = app.property(_STYLE_DIR)
    if not isinstance(folder, str) or not os.path.isdir(folder):
        folder = tempfile.mkdtemp(prefix="reelcast-style-")
        atexit.register(shutil.rmtree, folder, True)
        app.setProperty(_STYLE_DIR, folder)
    path = os.path.join(folder, f"chevron-{QColor(colors.text_muted).name()[1:]}.png")
    if not os.path.isfile(path) and not icons.pixmap(
        "chevron-down", colors.text_muted, 16, 2.0
    ).save(path):
        return ""
    return path.replace(os.sep, "/")


def style_name(app: QApplication) -> str:
    """The style in use, lower case ("fusion"...). With a stylesheet, app.style() is Qt's
    stylesheet wrapper, which has no name: the name set here is remembered."""
    name = app.style().name()
    if name:
        return name.lower()
    remembered = app.property(_STYLE)
    return remembered if isinstance(remembered, str) else ""


def _follow_os(app: QApplication) -> None:
    if app.property("reelcastThemeSetting") == "system":
        apply_theme(app, "system")


# --- language ------------------------------------------------------------------------------


def default_translations_dir() -> Path:
    """resources/translations next to the package, or inside a PyInstaller bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if isinstance(bundle, str) and bundle:
        return Path(bundle) / "resources" / "translations"
    return Path(__file__).resolve().parent.parent / "resources" / "translations"


def _candidates(language: str) -> list[str]:
    """Translation names to try for a setting, best first; empty means the source language."""
    if language != "system":
        return [] if language == SOURCE_LANGUAGE else _variants(language)
    names: list[str] = []
    # The user's ordered languages; stop at the source language, which needs no file (Qt's own
    # QTranslator.load(QLocale) would go on and pick a later, less wanted, translation).
    for tag in QLocale.system().uiLanguages():
        name = QLocale(tag).name()  # "zh-Hans-CN" -> "zh_CN"
        if name.split("_")[0] in (SOURCE_LANGUAGE, "C"):
            break
        names.extend(n for n in _variants(name) if n not in names)
    return names


def _variants(name: str) -> list[str]:
    base = name.split("_")[0]
    return [name] if base == name else [name, base]


def _install(app: QApplication, prefix: str, name: str, folder: Path) -> QTranslator | None:
    """Install `<prefix>_<name>.qm` from `folder` if it is there and loads."""
    path = folder / f"{prefix}_{name}.qm"
    if not path.is_file():
        return None
    translator = QTranslator(app)  # parented: the app keeps it alive, the next call finds it
    if not translator.load(os.fspath(path)):
        log.warning("%s is not a usable translation file", path)
        translator.deleteLater()
        return None
    translator.setObjectName(_TRANSLATOR_NAME)
    app.installTranslator(translator)
    return translator


def _install_source_plurals(app: QApplication, folder: Path) -> None:
    """English plural forms ("1 problem", "2 problems") for strings written tr("%n problems",
    "", n): Qt picks plural forms from a translation, so the source language has one too
    (reelcast_en.qm, `lupdate -pluralonly`). Installed once, first, under every language:
    a later translator (the chosen language) takes precedence where it has the string."""
    if any(t.objectName() == _PLURALS_NAME for t in app.findChildren(QTranslator)):
        return
    translator = _install(app, "reelcast", SOURCE_LANGUAGE, folder)
    if translator is not None:
        translator.setObjectName(_PLURALS_NAME)


def install_language(app: QApplication, language: str, translations_dir: Path | None = None) -> str:
    """Install the app's translation for `language` ("system", "en", "zh_CN"...) and Qt's own
    for its dialogs; returns the language now in use, "en" when there is no translation for
    it. Replaces what an earlier call installed; never raises (a bad file logs a warning)."""
    try:
        for old in app.findChildren(QTranslator):
            if old.objectName() == _TRANSLATOR_NAME:
                app.removeTranslator(old)
                old.setObjectName("")
                old.deleteLater()
        folder = translations_dir or default_translations_dir()
        _install_source_plurals(app, folder)
        for name in _candidates(language):
            installed = _install(app, "reelcast", name, folder)
            if installed is None:
                continue
            # Qt's own strings (standard buttons, file dialogs), when Qt ships them.
            qt_folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
            for variant in _variants(name):
                if _install(app, "qtbase", variant, qt_folder) is not None:
                    break
            log.info("UI language %s from %s", name, installed.filePath())
            # Dates and numbers (QLocale()) in the language of the words around them; a
            # language taken from the system keeps the system's own formats.
            QLocale.setDefault(QLocale.system() if language == "system" else QLocale(name))
            return name
    except Exception:  # a broken file or locale must not stop the app from starting
        log.warning("could not install the %s translation", language, exc_info=True)
    QLocale.setDefault(QLocale.system())  # English words: the system's regional formats
    return SOURCE_LANGUAGE
