"""What became of a run (:class:`RunSummary`), and who hears about it (:class:`BatchProgress`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from energymodel.fileio import ResultsWriteError
from energymodel.scenario import ScenarioError

logger = logging.getLogger("energymodel.batch.runner")

_ERROR_CHARS = 300


@dataclass(frozen=True)
class RunSummary:
    """What became of one run.

    Attributes
    ----------
    name
        Scenario (run) name.
    status
        ``"optimal"``, ``"skipped"`` (up to date), ``"failed"`` (an error) or the
        solver's termination when it did not reach optimality (no file is written).
    path
        The ``.nc`` written or kept, else None.
    error
        A one-paragraph reason when the run did not succeed, else None.
    seconds
        Wall time of the run.
    traceback
        The full traceback of a failure (logged at DEBUG), else None.
    warning
        What a user must know of a run that succeeded (the full-year check above its
        tolerance, ``time.check``), logged at WARNING; else None.
    """

    name: str
    status: str
    path: Path | None = None
    error: str | None = None
    seconds: float = 0.0
    traceback: str | None = field(default=None, repr=False, compare=False)
    warning: str | None = None

    @property
    def ok(self) -> bool:
        """True when the run has a current, optimal result file."""
        return self.status in ("optimal", "skipped")


class BatchProgress(Protocol):
    """Receives batch events in the calling process (for a progress bar or log)."""

    def started(self, name: str) -> None:
        """Note that a run was handed to a worker."""

    def finished(self, summary: RunSummary) -> None:
        """Note that a run ended (or was skipped)."""


def short_error(err: BaseException) -> str:
    """One readable reason: the scenario module's own text, else type and first lines."""
    if isinstance(err, ScenarioError | ResultsWriteError):
        return str(err)
    text = str(err).strip() or type(err).__name__
    text = f"{type(err).__name__}: {text}"
    return text if len(text) <= _ERROR_CHARS else text[: _ERROR_CHARS - 3] + "..."


def report(progress: BatchProgress | None, summary: RunSummary) -> None:
    if summary.traceback:
        logger.debug("%s failed:\n%s", summary.name, summary.traceback)
    if summary.warning:
        logger.warning("%s: %s", summary.name, summary.warning)
    if progress is not None:
        progress.finished(summary)
