"""One batch at a time in a results folder.

:func:`lock_out_dir` holds a lock on ``<out>/.energymodel.lock`` while a batch runs; a
second batch is refused with the process that holds it. The operating system drops the
lock when that process ends, however it ends.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

from energymodel.fileio import ResultsWriteError

logger = logging.getLogger(__name__)

LOCK_NAME = ".energymodel.lock"
"""The lock file a batch holds in its results folder while it runs."""

_held: dict[Path, tuple[int, int]] = {}
"""Results folders this process holds the lock of: folder -> (file descriptor, depth)."""


class FolderBusyError(ResultsWriteError):
    """Another batch holds the results folder's lock."""


def _lock_fd(fd: int) -> bool:
    """Take an exclusive lock on ``fd`` without waiting; False if another process holds it."""
    try:
        import fcntl
    except ImportError:  # Windows: msvcrt locks a byte range
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as err:  # a file system without locks (some network shares)
        logger.warning("cannot lock the results folder (%s): two batches writing it at "
                       "once are not prevented", err.strerror or err)  # fmt: skip
    return True


@contextlib.contextmanager
def lock_out_dir(out_dir: str | Path) -> Iterator[Path]:
    """Hold the results folder's lock while the block runs (one batch per folder).

    Re-entrant within a process (the command line and :func:`run_batch` both take it).
    The lock is the operating system's (``flock``), so a batch that is killed releases
    it; the lock file records the holder's process id and start time for the message,
    and is removed when the batch ends.

    Parameters
    ----------
    out_dir
        The results folder (must exist).

    Yields
    ------
    pathlib.Path
        The folder.

    Raises
    ------
    FolderBusyError
        If another batch holds the lock, naming its process and when it started.
    ResultsWriteError
        If the lock file cannot be created (e.g. a symbolic link in its place).
    """
    folder = Path(out_dir)
    key = folder.resolve()
    if key in _held:  # this process holds it already
        fd, depth = _held[key]
        _held[key] = (fd, depth + 1)
        try:
            yield folder
        finally:
            fd, depth = _held[key]
            _held[key] = (fd, depth - 1)
        return
    path = folder / LOCK_NAME
    fd = _acquire(folder, path)
    try:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on {socket.gethostname()}, since {stamp}".encode())
        _held[key] = (fd, 1)
        try:
            yield folder
        finally:
            del _held[key]
            with contextlib.suppress(OSError):
                path.unlink()  # while still locked: a waiting batch sees the file is gone
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def _acquire(folder: Path, path: Path) -> int:
    """Open and lock ``path``; return the descriptor (see :func:`lock_out_dir`)."""
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(5):
        try:
            fd = os.open(path, flags, 0o644)
        except OSError as err:
            raise ResultsWriteError.wrap(path, err) from None
        if not _lock_fd(fd):
            holder = ""
            with contextlib.suppress(OSError):
                holder = os.read(fd, 200).decode("utf-8", "replace").strip()
            os.close(fd)
            holder = holder or "another process"
            raise FolderBusyError(
                folder,
                f"another batch is writing this results folder ({holder}); wait for it to "
                "finish, or choose another --out",
            )
        try:  # the holder before us may have removed the file we locked: lock the new one
            if os.stat(path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)
    raise FolderBusyError(folder, "its lock file keeps changing: another batch is starting")
