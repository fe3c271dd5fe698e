"""The app's look and language: a light or dark theme (or the OS's), and the UI translation.

Both are applied to the whole `QApplication`; the settings dialog only reports a change and the
main window calls these functions. Nothing here is global: the installed translators are
children of the application, which keeps them alive and lets the next call find and replace them.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

__all__ = [
    "SOURCE_LANGUAGE",
    "apply_theme",
    "dark_palette",
    "default_translations_dir",
    "install_language",
    "light_palette",
]

SOURCE_LANGUAGE = "en"  # the language the strings in the code are written in
_TRANSLATOR_NAME = "reelcast-translator"  # object name marking the translators installed here
_NATIVE_STYLE = "reelcastNativeStyle"  # app property: the style the app started with

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

# (role, active colour, disabled colour or None for the same)
_DARK: tuple[tuple[QPalette.ColorRole, str, str | None], ...] = (
    (_Role.Window, "#2b2b2e", None),
    (_Role.WindowText, "#e8e8e8", "#7c7c7c"),
    (_Role.Base, "#1e1e20", "#2b2b2e"),
    (_Role.AlternateBase, "#2f2f33", None),
    (_Role.ToolTipBase, "#3a3a3e", None),
    (_Role.ToolTipText, "#e8e8e8", None),
    (_Role.PlaceholderText, "#8e8e8e", None),
    (_Role.Text, "#e8e8e8", "#7c7c7c"),
    (_Role.Button, "#37373b", None),
    (_Role.ButtonText, "#e8e8e8", "#7c7c7c"),
    (_Role.BrightText, "#ff6b6b", None),
    (_Role.Light, "#4a4a4f", None),
    (_Role.Midlight, "#3f3f44", None),
    (_Role.Mid, "#2f2f33", None),
    (_Role.Dark, "#1a1a1c", None),
    (_Role.Shadow, "#000000", None),
    (_Role.Highlight, "#3d7edb", "#4a4a4f"),
    (_Role.HighlightedText, "#ffffff", "#9a9a9a"),
    (_Role.Link, "#6ab0ff", None),
    (_Role.LinkVisited, "#b48cff", None),
)

_LIGHT: tuple[tuple[QPalette.ColorRole, str, str | None], ...] = (
    (_Role.Window, "#efefef", None),
    (_Role.WindowText, "#1a1a1a", "#9e9e9e"),
    (_Role.Base, "#ffffff", "#efefef"),
    (_Role.AlternateBase, "#f5f5f5", None),
    (_Role.ToolTipBase, "#ffffdc", None),
    (_Role.ToolTipText, "#1a1a1a", None),
    (_Role.PlaceholderText, "#7a7a7a", None),
    (_Role.Text, "#1a1a1a", "#9e9e9e"),
    (_Role.Button, "#efefef", None),
    (_Role.ButtonText, "#1a1a1a", "#9e9e9e"),
    (_Role.BrightText, "#ffffff", None),
    (_Role.Light, "#ffffff", None),
    (_Role.Midlight, "#e3e3e3", None),
    (_Role.Mid, "#b8b8b8", None),
    (_Role.Dark, "#9f9f9f", None),
    (_Role.Shadow, "#767676", None),
    (_Role.Highlight, "#308cc6", "#d0d0d0"),
    (_Role.HighlightedText, "#ffffff", "#1a1a1a"),
    (_Role.Link, "#0b5cad", None),
    (_Role.LinkVisited, "#6b2fa8", None),
)


def _palette(table: tuple[tuple[QPalette.ColorRole, str, str | None], ...]) -> QPalette:
    palette = QPalette()
    for role, active, disabled in table:
        palette.setColor(_Group.All, role, QColor(active))
        if disabled is not None:
            palette.setColor(_Group.Disabled, role, QColor(disabled))
    return palette


def dark_palette() -> QPalette:
    return _palette(_DARK)


def light_palette() -> QPalette:
    return _palette(_LIGHT)


def apply_theme(app: QApplication, theme: str) -> None:
    """ "system" follows the OS (its style, palette and light/dark choice); "light" and "dark"
    use the Fusion style with an explicit palette, which applies on every platform (the
    offscreen and some Linux platforms ignore a colour-scheme request). Unknown: "system"."""
    native = app.property(_NATIVE_STYLE)
    if not isinstance(native, str) or not native:
        native = app.style().name()
        app.setProperty(_NATIVE_STYLE, native)  # a plain string: safe as a Qt property
    hints = app.styleHints()
    # Qt 6.8+ can ask the platform for a colour scheme; older versions only read it.
    can_request = hasattr(hints, "setColorScheme")
    if theme in ("light", "dark"):
        if can_request:
            scheme = Qt.ColorScheme.Dark if theme == "dark" else Qt.ColorScheme.Light
            hints.setColorScheme(scheme)
        if app.style().name().lower() != "fusion":
            app.setStyle("Fusion")
        app.setPalette(dark_palette() if theme == "dark" else light_palette())
        return
    if can_request:
        hints.setColorScheme(Qt.ColorScheme.Unknown)
    if app.style().name().lower() != native.lower():
        app.setStyle(native)
    app.setPalette(QPalette())  # an empty palette: the style's and platform's own colours


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
            return name
    except Exception:  # a broken file or locale must not stop the app from starting
        log.warning("could not install the %s translation", language, exc_info=True)
    return SOURCE_LANGUAGE
