"""Opening untrusted files from the library without hanging or reading too much.

Three guards, for three ways a reader gets at a file:

- `regular_file_size`: for readers that hand a path to a library (mutagen, FFmpeg); refuses
  FIFOs, devices and empty files before the library opens them.
- `read_sidecar_bytes`: the whole of a small sidecar (NFO, subtitle), opened non-blocking and
  refused unless it is a regular file within the size cap.
- `read_capped`: the whole of a file the user chose or an image, at most `limit` bytes.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from engine.ingest.metadata import ReaderError


def regular_file_size(path: str, what: str) -> int:
    """Size of a regular, non-empty file; FIFOs and devices would block a reader forever."""
    try:
        st = Path(path).stat()
    except OSError as exc:
        raise ReaderError(f"cannot read file: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise ReaderError(f"not a readable {what} file: not a regular file")
    if st.st_size == 0:
        raise ReaderError(f"not a readable {what} file: file is empty")
    return st.st_size


def _read_regular(path: str, limit: int) -> bytes:
    """Up to `limit` + 1 bytes of a regular file, opened non-blocking so that a FIFO or device
    carrying a media extension cannot hang the reader. Raises OSError or _NotRegular."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _NotRegular
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read(limit + 1)
    finally:
        os.close(fd)


class _NotRegular(Exception):
    pass


def read_sidecar_bytes(path: str, limit: int, label: str) -> bytes:
    """The bytes of a small sidecar file; ReaderError with a user-facing message otherwise."""
    try:
        data = _read_regular(path, limit)
    except _NotRegular:
        raise ReaderError(f"{label} is not a regular file") from None
    except OSError as exc:
        raise ReaderError(f"{label} could not be read: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise ReaderError(f"{label} is too large (over {limit} bytes)")
    return data


def read_capped(path: str, limit: int, what: str) -> bytes:
    """The bytes of the file at `path`; ReaderError if unreadable or longer than `limit` bytes.

    `what` names the file in messages: "cannot read {what}: ...", "{what} is too large ...".
    """
    try:
        data = _read_regular(path, limit)
    except _NotRegular:
        raise ReaderError(f"cannot read {what}: not a regular file") from None
    except OSError as exc:
        raise ReaderError(f"cannot read {what}: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise ReaderError(f"{what} is too large (over {limit} bytes)")
    return data
