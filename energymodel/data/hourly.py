"""Read and check ``hourly_profiles.csv``: 8760 rows, one column per profile and region.

One problem per real error (file, line, column, value found, what was expected); see
:func:`read_hourly_profiles`. The profiles, their units and ranges are in
:data:`energymodel.data.manifest.HOURLY_PROFILES`.
"""

from __future__ import annotations

import difflib
import io
from pathlib import Path

import numpy as np
import pandas as pd

from energymodel.data.checks import did_you_mean
from energymodel.data.manifest import HOURLY_PROFILES, HOURS_PER_YEAR, HourlySpec
from energymodel.fileio import TextDecodeError, os_error_cause, read_text

_MEAN_TOLERANCE = 1e-3


def _hourly_expected(spec: HourlySpec) -> str:
    if spec.kind == "availability":
        return "an availability between 0 and 1"
    if spec.kind == "ratio":
        return "a ratio >= 0"
    return f"a value between {spec.lo:g} and {spec.hi:g} ({spec.values.split(',')[0]})"


def read_hourly_profiles(
    path: Path, regions: list[str] | None, problems: list[str]
) -> pd.DataFrame:
    """Read and check ``hourly_profiles.csv`` (8760 rows, one column per profile x region).

    One problem per real error: a misspelt column is one problem (not also a missing one),
    and the columns of a region that regions.csv lacks are one problem, not one per column.
    ``regions`` None (``regions.csv`` unreadable, reported there): the regions of the
    columns are taken.
    """
    name = path.name
    empty = pd.DataFrame(index=pd.RangeIndex(HOURS_PER_YEAR, name="hour"))
    if not path.is_file():
        problems.append(
            f"{name}: file not found; expected {HOURS_PER_YEAR} rows of hourly profiles"
        )
        return empty
    try:
        text = read_text(path)
        values = pd.read_csv(io.StringIO(text), skip_blank_lines=False)  # fast: all numeric
        numeric = all(pd.api.types.is_numeric_dtype(t) for t in values.dtypes)
        raw = (
            values if numeric else pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        )
    except TextDecodeError as err:
        problems.append(f"{name}: line {err.line}: {err.reason}")
        return empty
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        problems.append(f"{name}: cannot be read as CSV ({str(err).strip()})")
        return empty
    except OSError as err:
        problems.append(f"{name}: cannot be read ({os_error_cause(err)})")
        return empty
    if regions is None:
        regions = list(dict.fromkeys(str(c).split(":", 1)[1] for c in raw.columns if ":" in c))
    expected = ["hour"] + [f"{p}:{r}" for p in HOURLY_PROFILES for r in regions]
    missing = [c for c in expected if c not in raw.columns]
    extra = [c for c in raw.columns if c not in expected]
    # a misspelt column is one error: report it as such, not also as a missing column
    unknown_regions: dict[str, list[str]] = {}
    col_problems: list[str] = []
    for col in extra:
        close = difflib.get_close_matches(str(col), missing, n=1, cutoff=0.8)
        profile, _, region = str(col).partition(":")
        if close:
            missing.remove(close[0])
            col_problems.append(
                f"{name}: line 1: unexpected column {col!r} (did you mean {close[0]!r}?)"
            )
        elif profile in HOURLY_PROFILES and region and region not in regions:
            unknown_regions.setdefault(region, []).append(str(col))
        else:
            col_problems.append(
                f"{name}: line 1: unexpected column {col!r}"
                f"{did_you_mean(str(col), missing or expected)}"
            )
    if missing:
        problems.append(
            f"{name}: line 1: missing column(s) {', '.join(missing)}; expected 'hour' and "
            "'<profile>:<region>' for every profile and every region of regions.csv"
        )
    problems.extend(col_problems)
    for region, cols in unknown_regions.items():
        problems.append(
            f"{name}: line 1: column(s) {', '.join(cols)} for region {region!r}"
            f"{did_you_mean(region, regions)}; expected only regions of regions.csv"
        )
    if len(raw) != HOURS_PER_YEAR:
        problems.append(
            f"{name}: found {len(raw)} data rows; expected {HOURS_PER_YEAR} "
            "(one per hour of a 365-day year, hour 0..8759)"
        )
    if missing or extra or len(raw) != HOURS_PER_YEAR:
        return empty
    if not numeric:
        values = raw.apply(pd.to_numeric, errors="coerce")
    for col in raw.columns:
        bad = values[col].isna().to_numpy().nonzero()[0]
        for i in bad[:3]:
            cell = raw[col].iloc[i]
            found = "an empty cell" if not isinstance(cell, str) or not cell else repr(cell)
            problems.append(f"{name}: line {i + 2}: column {col}: found {found}; expected a number")
        if len(bad) > 3:
            problems.append(f"{name}: column {col}: {len(bad) - 3} more non-numeric cells")
    hour = values["hour"]
    if hour.notna().all() and not np.array_equal(hour.to_numpy(), np.arange(HOURS_PER_YEAR)):
        problems.append(f"{name}: column hour: expected 0, 1, ..., {HOURS_PER_YEAR - 1} in order")
    for col in expected[1:]:
        x = values[col]
        spec = HOURLY_PROFILES[col.split(":", 1)[0]]
        out_of_range = (x < spec.lo) | (x > spec.hi) if spec.hi is not None else (x < spec.lo)
        bad_rows = out_of_range.to_numpy().nonzero()[0]
        for i in bad_rows[:3]:
            problems.append(
                f"{name}: line {i + 2}: column {col}: found {x.iloc[i]:g}; expected "
                f"{_hourly_expected(spec)}"
            )
        if len(bad_rows) > 3:
            problems.append(f"{name}: column {col}: {len(bad_rows) - 3} more values out of range")
        if spec.kind == "ratio" and x.notna().all() and abs(x.mean() - 1) > _MEAN_TOLERANCE:
            problems.append(
                f"{name}: column {col}: mean {x.mean():.4f}; expected a ratio with mean 1 "
                f"(within {_MEAN_TOLERANCE})"
            )
    hourly = values.set_index("hour").astype(float)
    hourly.index = pd.RangeIndex(HOURS_PER_YEAR, name="hour")
    return hourly
