"""Uncertain settings: a scenario with ``uncertain:`` fans out into one run per sample.

The sample design is drawn on the unit hypercube with SALib (Latin hypercube, Saltelli's
scheme on a Sobol' sequence, or Morris trajectories) and each column is turned into
values through its distribution's quantile function, so every method and every
distribution go the same way and the design can be drawn again from the scenario alone
(same ``seed``, same runs). The analysis (:mod:`energymodel.compare.sensitivity`) reads
the unit design from :func:`sample_design`.

Runs are named ``<name>__sample=0007`` (zero-padded to the width of the count) and carry
``sample`` (their position) and ``sample_values`` (the values they drew).
"""

from __future__ import annotations

import copy
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from pydantic import ValidationError

from energymodel.scenario.options import (
    ChoiceDist,
    LognormalDist,
    NormalDist,
    TriangularDist,
    UncertainConfig,
    UniformDist,
)
from energymodel.scenario.problems import KeyOrigins, Problem, ScenarioError, format_value
from energymodel.scenario.resolve import set_at_path, split_key
from energymodel.scenario.schema import Scenario
from energymodel.scenario.validate import problems_from_validation

SAMPLE_MARK = "__sample="
"""Marks a sampled run's name: ``<name>__sample=<index>``."""
SAMPLE_PREFIX = "sample__"
"""Prefix of the attributes (per run) and coordinates (combined) holding sampled values."""


@dataclass(frozen=True)
class Design:
    """A sample design: the unit-cube points SALib drew and the values they stand for.

    Attributes
    ----------
    method
        ``latin``, ``sobol`` or ``morris``.
    keys
        The uncertain settings, in the order of the columns.
    unit
        (runs, keys) array of points in [0, 1): what SALib drew (Morris: its grid).
    values
        One mapping key -> value per run.
    groups
        Runs per group the analysis needs whole: k + 2 (Sobol), k + 1 (Morris), 1.
    """

    method: str
    keys: tuple[str, ...]
    unit: np.ndarray
    values: list[dict[str, Any]]
    groups: int

    @property
    def problem(self) -> dict[str, Any]:
        """The SALib problem on the unit hypercube."""
        return {
            "num_vars": len(self.keys),
            "names": list(self.keys),
            "bounds": [[0.0, 1.0]] * len(self.keys),
        }


def _quantile(dist: Any, u: np.ndarray) -> list[Any]:
    """Values of ``dist`` at probabilities ``u`` (inverse transform sampling)."""
    from scipy import stats

    if isinstance(dist, ChoiceDist):
        index = np.minimum((u * len(dist.values)).astype(int), len(dist.values) - 1)
        return [dist.values[i] for i in index]
    if isinstance(dist, UniformDist):
        x = dist.low + u * (dist.high - dist.low)
    elif isinstance(dist, TriangularDist):
        width = dist.high - dist.low
        x = stats.triang(c=(dist.mode - dist.low) / width, loc=dist.low, scale=width).ppf(u)
    else:
        if isinstance(dist, NormalDist):
            frozen = stats.norm(loc=dist.mean, scale=dist.sd)
        else:
            assert isinstance(dist, LognormalDist)
            frozen = stats.lognorm(s=dist.sigma, scale=dist.median)
        # cut to [low, high]: draw u within the probabilities those bounds hold
        lo = 0.0 if dist.low is None else float(frozen.cdf(dist.low))
        hi = 1.0 if dist.high is None else float(frozen.cdf(dist.high))
        x = frozen.ppf(lo + u * (hi - lo))
    return [float(f"{v:.6g}") for v in np.asarray(x, dtype=float)]  # readable, stable YAML


def _groups(cfg: UncertainConfig, k: int) -> tuple[int, int]:
    """Number of groups (at least 2) and runs per group for about ``cfg.samples`` runs."""
    per = {"sobol": k + 2, "morris": k + 1}.get(cfg.method, 1)
    return max(2, round(cfg.samples / per)), per


def sample_design(cfg: UncertainConfig) -> Design:
    """Draw the runs of an uncertain scenario.

    Parameters
    ----------
    cfg
        The scenario's ``uncertain`` block.

    Returns
    -------
    Design
        ``latin``: ``samples`` runs; ``sobol``: N (k + 2) runs in Saltelli's order (per
        base point: A, A with column i from B for each i, B), first-order and total
        indices only; ``morris``: r (k + 1) runs, r trajectories. Morris grid points are
        read at the mid-quantiles of their levels (1/8, 3/8, 5/8, 7/8 for 4 levels), so
        unbounded distributions stay finite.
    """
    from SALib.sample import latin, morris, sobol

    keys = tuple(cfg.distributions)
    k = len(keys)
    n, per = _groups(cfg, k)
    problem = {"num_vars": k, "names": list(keys), "bounds": [[0.0, 1.0]] * k}
    if cfg.method == "sobol":
        with warnings.catch_warnings():  # N need not be a power of 2 for our use
            warnings.simplefilter("ignore")
            unit = sobol.sample(problem, n, calc_second_order=False, seed=cfg.seed)
        probability = unit
    elif cfg.method == "morris":
        levels = cfg.morris_levels
        unit = morris.sample(problem, n, num_levels=levels, seed=cfg.seed)
        probability = (np.rint(unit * (levels - 1)) + 0.5) / levels
    else:
        unit = latin.sample(problem, n, seed=cfg.seed)
        probability = unit
    columns = {
        key: _quantile(dist, probability[:, j])
        for j, (key, dist) in enumerate(cfg.distributions.items())
    }
    values = [{key: columns[key][i] for key in keys} for i in range(len(unit))]
    return Design(cfg.method, keys, np.asarray(unit, dtype=float), values, per)


def sample_name(name: str, index: int, total: int) -> str:
    """``<name>__sample=<index>``, the index zero-padded to the width of ``total - 1``."""
    return f"{name}{SAMPLE_MARK}{index:0{max(4, len(str(total - 1)))}d}"


def base_name(run_name: str) -> str:
    """The uncertain scenario a sampled run belongs to (the name itself otherwise)."""
    return run_name.split(SAMPLE_MARK, 1)[0]


def is_sample(run_name: str) -> bool:
    """True for the name of a sampled run."""
    return SAMPLE_MARK in run_name


def expand_samples(sc: Scenario) -> list[Scenario]:
    """Fan a scenario with ``uncertain:`` out into one scenario per sample.

    Parameters
    ----------
    sc
        A resolved scenario (sweeps already expanded, or none).

    Returns
    -------
    list of Scenario
        ``[sc]`` without ``uncertain`` (or for a run that is already a sample); else the
        runs of :func:`sample_design`, each named by :func:`sample_name`, with ``sample``
        and ``sample_values`` set and the ``uncertain`` block kept (so a run's YAML says
        how it was drawn).

    Raises
    ------
    ScenarioError
        If drawn values do not validate; each problem names the setting, once.
    """
    if sc.uncertain is None or sc.sample is not None:
        return [sc]
    design = sample_design(sc.uncertain)
    base = sc.model_dump()
    where = KeyOrigins({}, f"<uncertain: of {sc.name}>")
    runs: list[Scenario] = []
    problems: dict[str, Problem] = {}
    total = len(design.values)
    for index, values in enumerate(design.values):
        data = copy.deepcopy(base)
        data["name"] = sample_name(sc.name, index, total)
        data["sample"] = index
        data["sample_values"] = dict(values)
        found: list[tuple[str, Problem]] = []
        for key, value in values.items():
            try:
                set_at_path(data, split_key(key), value)
            except ValueError as err:
                at = ("uncertain", "distributions", key)
                found.append((key, where.problem(at, format_value(value), str(err))))
        if not found:
            try:
                runs.append(Scenario.model_validate(data))
                continue
            except ValidationError as err:
                found = [
                    (p.key, Problem(p.file, None, "uncertain", p.found, f"{p.key}: {p.expected}",
                                    "" if p.found.startswith("unknown key") else
                                    f"drawn for sample {index}: narrow its distribution"))
                    for p in problems_from_validation(err, data, where)
                ]  # fmt: skip
        for key, problem in found:  # a broken setting would be reported once per sample
            problems.setdefault(key, problem)
    if problems:
        raise ScenarioError(list(problems.values()))
    return runs


def sample_count(cfg: UncertainConfig) -> int:
    """Number of runs :func:`sample_design` gives for ``cfg`` (without drawing them)."""
    n, per = _groups(cfg, len(cfg.distributions))
    return n * per
