"""Reading text files and explaining file-system errors, in words a user can act on.

Foundation stage: every later stage that reads a scenario, an input table or a results
file uses these, so a fault names the file and its cause in the same words everywhere.

- :func:`read_text`: UTF-8 with or without a byte-order mark (a CSV saved from Excel);
  a byte that is not UTF-8 raises :class:`TextDecodeError` naming the file and line.
- :func:`os_error_cause`: "permission denied", "no space left on the device", ... for an
  :class:`OSError` (by ``errno``), without the Python noise.
- :class:`ResultsWriteError`: a results file could not be written; its text names the
  path and the cause.
"""

from __future__ import annotations

import errno
from pathlib import Path

BOM = "\ufeff"

_CAUSES = {
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "the file system is read-only",
    errno.ENOSPC: "no space left on the device",
    errno.EDQUOT: "disk quota exceeded",
    errno.EFBIG: "file too large for the file system",
    errno.ENAMETOOLONG: "the file name is too long for the file system",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "it is a folder, not a file",
    errno.EEXIST: "a file of that name is in the way",
    errno.ENOENT: "no such file or folder",
    errno.EIO: "input/output error (a failing disk or network share?)",
}


class TextDecodeError(ValueError):
    """A text file holds bytes that are not UTF-8."""

    def __init__(self, path: Path, line: int, column: int, byte: int) -> None:
        self.path, self.line, self.column, self.byte = Path(path), line, column, byte
        super().__init__(f"{path}: line {line}: {self.reason}")

    @property
    def found(self) -> str:
        """What is wrong, without the file and line."""
        return f"byte 0x{self.byte:02x} at column {self.column}, which is not UTF-8"

    @property
    def expected(self) -> str:
        """What the file should be, and how to get there."""
        excel = "; in Excel: 'CSV UTF-8'" if self.path.suffix.lower() == ".csv" else ""
        return f"UTF-8 text (save the file as UTF-8{excel})"

    @property
    def reason(self) -> str:
        """``found ...; expected ...`` without the file and line."""
        return f"found {self.found}; expected {self.expected}"


def read_text(path: str | Path) -> str:
    """Read a text file as UTF-8, dropping a leading byte-order mark.

    Newlines are kept as they are in the file (``csv`` handles ``\\r\\n`` itself).

    Raises
    ------
    TextDecodeError
        If a byte is not UTF-8, with its 1-based line and column.
    OSError
        If the file cannot be read.
    """
    path = Path(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start]
        line = before.count(b"\n") + 1
        column = err.start - (before.rfind(b"\n") + 1) + 1
        raise TextDecodeError(path, line, column, raw[err.start]) from None
    return text.removeprefix(BOM)


def os_error_cause(err: BaseException) -> str:
    """The cause of a file-system error in a few words (``errno`` first, else its text)."""
    code = getattr(err, "errno", None)
    if code in _CAUSES:
        return _CAUSES[code]
    text = getattr(err, "strerror", None) or str(err).strip()
    if not text or text.startswith("[Errno"):
        text = type(err).__name__
    return text[:1].lower() + text[1:]


class ResultsWriteError(OSError):
    """A results file (or the results folder) could not be written.

    ``str()`` names the path and the cause; ``errno`` is the underlying error's, if any.
    """

    def __init__(self, path: str | Path, cause: str, code: int | None = None) -> None:
        self.path = Path(path)
        self.cause = cause
        super().__init__(code, f"cannot write {path}: {cause}")
        self.errno = code

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.cause}"

    @classmethod
    def wrap(cls, path: str | Path, err: BaseException) -> ResultsWriteError:
        """The same fault as a :class:`ResultsWriteError` about ``path``.

        netCDF libraries often report a full disk as a bare "HDF error": when the error
        carries no ``errno``, the free space left on the device is checked and named.
        """
        if isinstance(err, ResultsWriteError):
            return err
        code = getattr(err, "errno", None)
        cause = os_error_cause(err)
        if code is None and _device_full(Path(path)):
            cause += " (the disk holding it is full)"
            code = errno.ENOSPC
        return cls(path, cause, code)


def _device_full(path: Path, margin_bytes: int = 1 << 20) -> bool:
    """Whether the device under ``path`` (or its nearest existing parent) has < 1 MB free."""
    import shutil

    for folder in (path, *path.parents):
        if folder.exists():
            try:
                return shutil.disk_usage(folder).free < margin_bytes
            except OSError:
                return False
    return False
