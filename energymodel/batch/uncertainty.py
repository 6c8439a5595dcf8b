"""The end of an uncertainty batch: samples combined, sensitivity indices, the IAMC table.

For each uncertain scenario ``<name>`` of a batch, in ``<out>/uncertainty/``:

- ``<name>.nc``: the sampled runs along ``sample`` with the world headline figures
  (:func:`energymodel.compare.samples.combine_samples`) and the sensitivity indices
  (:func:`energymodel.compare.sensitivity.sensitivity`) in one Dataset;
- ``<name>_sensitivity.csv``: the indices as a long table (output, year, input);
- ``<name>_quantiles.csv``: mean and 5/25/50/75/95th percentiles of every world figure.

And ``<out>/iamc.csv``: every scenario of the batch (and the 5th, 50th and 95th
percentiles of each uncertain one) in the IAMC format (:mod:`energymodel.compare.iamc`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import xarray as xr

from energymodel.batch.store import result_path, write_atomic, write_text_atomic
from energymodel.compare.folder import results_subdir
from energymodel.compare.iamc import COLUMNS, samples_to_iamc, to_iamc
from energymodel.compare.samples import combine_samples, quantile_table
from energymodel.compare.sensitivity import drivers, sensitivity, sensitivity_table
from energymodel.scenario.uncertain import base_name, is_sample, sample_design

if TYPE_CHECKING:
    from energymodel.scenario.schema import Scenario

logger = logging.getLogger(__name__)

UNCERTAINTY_DIR = "uncertainty"
"""Sub-folder of a results folder with one Dataset (and two tables) per uncertain scenario."""
IAMC_NAME = "iamc.csv"
"""File name of the IAMC table in a results folder."""


@dataclass(frozen=True)
class Uncertain:
    """One uncertain scenario of a batch: its name, a run (for the design) and its runs."""

    name: str
    example: Scenario
    runs: list[str]


def uncertain_groups(runs: Iterable[Scenario]) -> list[Uncertain]:
    """Group the sampled runs of a batch by the uncertain scenario they belong to."""
    groups: dict[str, Uncertain] = {}
    for sc in runs:
        if sc.sample is None or not is_sample(sc.name):
            continue
        name = base_name(sc.name)
        groups.setdefault(name, Uncertain(name, sc, []))
        groups[name].runs.append(sc.name)
    return list(groups.values())


def _write_text(path: Path, text: str) -> None:
    write_text_atomic(text, path)


def analyse(out_dir: str | Path, group: Uncertain, finished: Sequence[str]) -> xr.Dataset:
    """Combine the finished runs of one uncertain scenario and add sensitivity indices.

    Parameters
    ----------
    out_dir
        Results folder (the runs are in its ``samples/``).
    group
        The uncertain scenario.
    finished
        Names of its runs with a result file (failed runs leave holes).

    Returns
    -------
    xarray.Dataset
        Samples and indices; ``attrs["uncertain"]`` holds the ``uncertain:`` block as
        JSON and ``attrs["failed_runs"]`` how many runs have no result.
    """
    out = Path(out_dir)
    cfg = group.example.uncertain
    assert cfg is not None
    runs = {name: xr.load_dataset(result_path(out, name)) for name in finished}
    samples = combine_samples(runs, scenario=group.name)
    design = sample_design(cfg)
    _check_design(samples, design.values)
    indices = sensitivity(samples, design, seed=cfg.seed, morris_levels=cfg.morris_levels)
    ds = xr.merge([samples, indices], combine_attrs="override")
    return ds.assign_attrs(
        method=cfg.method,
        ranked_by=indices.attrs["ranked_by"],
        uncertain=json.dumps(cfg.model_dump(mode="json")),
        planned_runs=len(design.values),
        failed_runs=len(design.values) - len(finished),
    )


def _check_design(samples: xr.Dataset, values: list[dict[str, object]]) -> None:
    """The runs must hold the values the design draws again (same SALib, same seed)."""
    for position in samples["sample"].values[:5]:
        for key, value in values[int(position)].items():
            coord = f"sample__{key}"
            if coord not in samples.coords:
                continue
            found = samples[coord].sel(sample=position).item()
            if isinstance(value, int | float) and not np.isclose(float(found), float(value)):
                raise ValueError(
                    f"sample {position} holds {key}={found}, the design draws {value}: "
                    "re-run with --force (the sampling changed)"
                )


def write_uncertainty(out_dir: str | Path, group: Uncertain, finished: Sequence[str]) -> list[Path]:
    """Write ``uncertainty/<name>.nc`` and its two tables; return the paths written."""
    folder = results_subdir(out_dir, UNCERTAINTY_DIR)  # never a symbolic link
    ds = analyse(out_dir, group, finished)
    nc = write_atomic(ds, folder / f"{group.name}.nc")
    table = sensitivity_table(ds)
    sens = folder / f"{group.name}_sensitivity.csv"
    _write_text(sens, table.to_csv(index=False))
    quant = folder / f"{group.name}_quantiles.csv"
    _write_text(quant, quantile_table(ds).to_csv(index=False))
    logger.info("%s: %d samples analysed (%s) into %s", group.name, ds.sizes["sample"],
                ds.attrs["method"], nc)  # fmt: skip
    return [nc, sens, quant]


def top_drivers(
    ds: xr.Dataset, output: str = "world_break_even_revenue_musd", n: int = 3
) -> pd.DataFrame:
    """The ``n`` inputs that drive ``output`` most in the last year of ``ds``."""
    year = int(ds["year"].values.max())
    table = drivers(ds, output, year, n)
    table.attrs.update(output=output, year=year, method=ds.attrs["method"])
    return table


def write_iamc(
    out_dir: str | Path, combined: xr.Dataset | None, uncertain: dict[str, xr.Dataset]
) -> Path | None:
    """Write ``<out>/iamc.csv`` from the batch's scenarios and uncertain scenarios.

    Parameters
    ----------
    out_dir
        Results folder.
    combined
        The batch's scenarios along ``scenario`` (None when it had none).
    uncertain
        Uncertain scenario name -> its combined samples.

    Returns
    -------
    pathlib.Path or None
        The file, or None when there was nothing to write.
    """
    frames = [] if combined is None else [to_iamc(combined)]
    frames += [samples_to_iamc(ds, name) for name, ds in uncertain.items()]
    frames = [f for f in frames if len(f)]
    if not frames:
        return None
    table = pd.concat(frames, ignore_index=True)[COLUMNS]
    path = Path(out_dir) / IAMC_NAME
    _write_text(path, table.to_csv(index=False))
    return path
