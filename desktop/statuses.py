"""The engine's statuses in the UI language: the index worker's state, how each folder is
watched and why, and the library's refusals.

The engine reports these as data: the worker's `state` and counts (engine.watch.worker), a
watcher's `why` (engine.watch.why: a kind and its arguments) and a LibraryError's `kind` and
`facts`. This module words them with tr() and plural forms; the CLI words the same facts in
English (their `str()`). A kind this version does not know falls back to the engine's English.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from PySide6.QtCore import QLocale, QObject

__all__ = [
    "Statuses",
    "library_error",
    "profile_name",
    "watch_summary",
    "watching",
    "worker_line",
]


# The name the engine gives the profile it creates with a library (engine/store/schema.py).
SEEDED_PROFILE = "Default"


class WhyLike(Protocol):
    """engine.watch.why.Why, without importing the watch layer (watchdog) at start-up."""

    @property
    def kind(self) -> str: ...

    @property
    def args(self) -> Mapping[str, Any]: ...


class WatcherLike(Protocol):
    @property
    def path(self) -> str: ...

    @property
    def mode(self) -> str: ...

    @property
    def why(self) -> WhyLike: ...

    @property
    def alive(self) -> bool: ...


def _number(value: Any, decimals: int = 0) -> str:
    return QLocale().toString(float(value or 0), "f", decimals)


def _seconds(value: Any) -> str:
    number = float(value or 0)
    return QLocale().toString(number, "f", 0 if number.is_integer() else 1)


class Statuses(QObject):
    """Holds the tr() calls, so lupdate files them under the "Statuses" context."""

    # --- the index worker ---------------------------------------------------------------------

    def worker(self, status: Any) -> tuple[str, str]:
        """The status bar's line for a WorkerStatus, and its tooltip."""
        state = status.state
        tip = str(status.current or "")
        if state == "starting":
            text = self.tr("Preparing the search model…")
        elif state == "idle":
            text = self.tr("Up to date")
        elif state == "paused":
            text = self.tr("Indexing paused")
        elif state == "stopped":
            text = self.tr("Indexing stopped")
        elif state == "failed":
            text = self.tr("Indexing stopped after an error")
            # The error is a bug's own words (English, from Python): the log has the rest.
            tip = self.tr("Details are in the log (View ▸ Log): %1").replace(
                "%1", str(status.last_error or "")
            )
        elif state == "standby":  # another process is this library's index writer
            pid = getattr(status, "writer_pid", None)
            if pid:
                text = self.tr("Indexed by another Reelcast (process %1)").replace("%1", str(pid))
            else:
                text = self.tr("Indexed by another Reelcast")
            tip = self.tr(
                "Another Reelcast window or command is indexing this library. Changes to your "
                "folders are queued here and that process indexes them; this one takes over "
                "when it ends."
            )
        elif state == "transcribing":  # listening to an episode without a transcript
            text = self.tr("Transcribing %1 of %2").replace(
                "%1", _number(min(status.done + 1, max(status.total, 1)))
            )
            text = text.replace("%2", _number(max(status.total, 1)))
            if status.eta:
                left = float(status.eta)
                if left >= 90:
                    text += self.tr(" · about %n min left", "", max(1, round(left / 60)))
                else:
                    text += self.tr(" · about %n s left", "", max(1, round(left)))
            tip = self.tr(
                "Listening to “%1” so that what is said in it can be searched. It pauses "
                "while you play something."
            ).replace("%1", str(status.current or ""))
        else:  # scanning or embedding
            if state == "scanning":
                text = self.tr("Reading files: %1 of %2")
            else:
                text = self.tr("Indexing: %1 of %2")
            text = text.replace("%1", _number(status.done)).replace("%2", _number(status.total))
            if status.rate:
                text += self.tr(" · %1 items/s").replace("%1", _number(status.rate))
            if status.eta:
                eta = max(1, round(float(status.eta)))
                text += self.tr(" · about %n s left", "", eta)
        if status.queued:
            text += self.tr(" · %n changes waiting", "", int(status.queued))
        return text, tip

    # --- folder watching ----------------------------------------------------------------------

    def watching(self, why: WhyLike) -> str:
        """How a folder is watched and why, in a line a user can act on."""
        a, k = why.args, why.kind
        every = _seconds(a.get("interval"))
        if k == "not_started":
            return self.tr("Starting to watch")
        if k == "native":
            return self.tr("Changes are seen as they happen")
        if k == "polling_requested":
            return self.tr("Checked for changes every %1 s, as set in the settings").replace(
                "%1", every
            )
        if k == "remote_fs":
            if a.get("fuse"):
                line = self.tr("A FUSE file system (%1): checked for changes every %2 s")
            else:
                line = self.tr(
                    "A network file system (%1): changes made on other computers are only "
                    "seen by checking, every %2 s"
                )
            return line.replace("%1", str(a.get("fstype") or "")).replace("%2", every)
        if k == "watch_limit":
            if a.get("folders") is not None:
                line = self.tr(
                    "Only %1 of %2 folders could be watched (the system's limit, "
                    "fs.inotify.max_user_watches): checked for changes every %3 s instead"
                )
                return (
                    line.replace("%1", _number(a.get("watched")))
                    .replace("%2", _number(a.get("folders")))
                    .replace("%3", every)
                )
            return self.tr(
                "The system's limit on watched folders is reached "
                "(fs.inotify.max_user_watches): checked for changes every %1 s instead"
            ).replace("%1", every)
        if k == "instance_limit":
            return self.tr(
                "The system's limit on watchers or open files is reached "
                "(fs.inotify.max_user_instances): checked for changes every %1 s instead"
            ).replace("%1", every)
        if k == "native_unavailable":
            line = self.tr("Changes cannot be watched here (%1): checked every %2 s instead")
            return line.replace("%1", str(a.get("detail") or "")).replace("%2", every)
        if k == "folder_missing":
            return self.tr("Not watched: the folder is not there")
        if k == "not_watching":
            return self.tr("Not watched: %1").replace("%1", str(a.get("detail") or ""))
        return str(why)

    def watch_summary(self, watchers: Iterable[WatcherLike]) -> tuple[str, str]:
        """The status bar's word on watching (all folders at once), and a tooltip with one
        line per folder."""
        folders = list(watchers)
        unwatched = sum(1 for w in folders if w.why.kind in ("folder_missing", "not_watching"))
        polled = sum(1 for w in folders if w.mode == "polling") - unwatched
        if unwatched:
            text = self.tr("%n folders not watched", "", unwatched)
        elif polled > 0:
            text = self.tr("Watching folders (%n checked by polling)", "", polled)
        else:
            text = self.tr("Watching folders")
        tip = "\n".join(
            self.tr("%1: %2").replace("%1", w.path).replace("%2", self.watching(w.why))
            for w in folders
        )
        return text, tip

    # --- the library's refusals ---------------------------------------------------------------

    def library_error(self, exc: BaseException) -> str:
        """A LibraryError in words; other exceptions (and kinds this version does not know)
        in their own words."""
        kind = getattr(exc, "kind", None)
        facts: Mapping[str, Any] = getattr(exc, "facts", None) or {}
        path = str(facts.get("path") or "")
        if kind == "not_a_folder":
            return self.tr("%1 is not a folder").replace("%1", path)
        if kind == "already_in_library":
            return self.tr("%1 is already in your library").replace("%1", path)
        if kind == "overlaps":
            line = self.tr(
                "%1 overlaps the library folder %2: add folders that do not contain each other"
            )
            return line.replace("%1", path).replace("%2", str(facts.get("other") or ""))
        if kind == "no_folder":
            return self.tr("That library folder is no longer in the library")
        if kind == "already_a_folder":
            return self.tr(
                "%1 is already a library folder: remove it, with its items, first"
            ).replace("%1", path)
        if kind == "removed_files":
            return self.tr(
                "Files under %1 belong to a removed library folder: forget that folder first"
            ).replace("%1", path)
        if kind == "closing":
            return self.tr("Reelcast is closing")
        if kind == "indexing_elsewhere":
            pid = facts.get("pid")
            if pid:
                return self.tr("Another Reelcast (process %1) is indexing this library").replace(
                    "%1", str(pid)
                )
            return self.tr("Another Reelcast is indexing this library")
        if kind == "exists":
            return self.tr("%1 exists already; it was left as it is").replace("%1", path)
        if kind == "no_transcript":
            return self.tr("This episode has not been transcribed")
        if kind == "file_missing":
            return self.tr("The episode's file is not available (missing or on a drive offline)")
        if kind == "unwritable":
            return self.tr("%1 cannot be written there").replace("%1", path)
        return str(exc) or type(exc).__name__

    def profile_name(self, name: str, is_default: bool) -> str:
        if is_default and name == SEEDED_PROFILE:
            return self.tr("Default", "the profile every library starts with")
        return name


_words: Statuses | None = None


def _the_words() -> Statuses:
    global _words
    if _words is None:
        _words = Statuses()
    return _words


def worker_line(status: Any) -> tuple[str, str]:
    return _the_words().worker(status)


def watching(why: WhyLike) -> str:
    return _the_words().watching(why)


def watch_summary(watchers: Iterable[WatcherLike]) -> tuple[str, str]:
    return _the_words().watch_summary(watchers)


def library_error(exc: BaseException) -> str:
    return _the_words().library_error(exc)


def profile_name(profile: Any) -> str:
    """A profile's name; the one every library starts with, while not renamed, in the UI
    language."""
    return _the_words().profile_name(str(profile.name), bool(profile.is_default))
