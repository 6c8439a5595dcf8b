"""The hourly part of the LP, built in bulk from arrays and joined to the Pyomo model.

Pyomo holds the small part of the LP: capacities, builds, demand and limits by year and
region, a few thousand rows written one rule per row, where readability matters most.
Rows that repeat in every timeslice (dispatch limits, the power balance, storage) would
cost a Python call each; here a family writes them as whole arrays instead, in a handful
of vectorised operations (the idea of linopy, kept to what the families need):

- :meth:`ArrayModel.add_variables` gives a block of columns on named dims (an
  :class:`Expr`), optionally only where a mask holds (no column for night-time solar);
- :meth:`ArrayModel.pyomo` turns an indexed Pyomo Var or linear Expression into an
  :class:`Expr`, so array rows can use capacities that Pyomo defines;
- arithmetic on :class:`Expr` broadcasts by dim name (xarray), never element by element;
- :meth:`ArrayModel.add_constraints` writes ``lhs (sense) rhs`` rows on the lhs's dims;
- :meth:`ArrayModel.add_cost` registers a yearly cost (M$, by year and maybe region) of a
  component; every cost of the model is one, and the objective is their discounted sum.

``energymodel.solve`` compiles the Pyomo part with Pyomo's standard-form compiler and
appends these blocks (:meth:`ArrayModel.matrix`); results read each block back by
vectorised indexing (:meth:`ArrayModel.values`, :meth:`ArrayModel.duals`,
:meth:`ArrayModel.evaluate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp
import xarray as xr

from energymodel.model.expr import Expr, broadcast_values, expr_parts, union

SENSES = ("<=", ">=", "==")


@dataclass
class Block:
    """A named block of columns or rows: its labels on its dims (-1: none there)."""

    name: str
    labels: xr.DataArray


@dataclass
class Cost:
    """A yearly cost of ``component`` (M$, undiscounted), by year and maybe region."""

    component: str
    expr: Expr


@dataclass
class ArrayModel:
    """Columns, rows and costs built from arrays; see the module docstring."""

    n_col: int = 0
    n_row: int = 0
    variables: dict[str, Block] = field(default_factory=dict)
    constraints: dict[str, Block] = field(default_factory=dict)
    costs: list[Cost] = field(default_factory=list)
    expressions: dict[str, Expr] = field(default_factory=dict)
    """Named expressions that results read (e.g. ``emissions_mtco2``)."""
    weight: xr.DataArray | None = None
    """Objective weight of each year's costs (discount factor x years it stands for)."""
    proxies: list[Any] = field(default_factory=list)
    """Pyomo VarData of each proxy column, by proxy number (label = -2 - number)."""
    _proxy_of: dict[int, int] = field(default_factory=dict)
    _lower: list[np.ndarray] = field(default_factory=list)
    _upper: list[np.ndarray] = field(default_factory=list)
    _rows: list[tuple[str, np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=list)
    _row_lower: list[np.ndarray] = field(default_factory=list)
    _row_upper: list[np.ndarray] = field(default_factory=list)
    infeasible_rows: list[str] = field(default_factory=list)
    """Blocks holding a row with no term left that cannot hold (e.g. 0 >= 1)."""

    # --- columns --------------------------------------------------------------------------

    def add_variables(
        self,
        name: str,
        coords: Mapping[str, Any],
        *,
        lower: Any = 0.0,
        upper: Any = np.inf,
        mask: xr.DataArray | None = None,
    ) -> Expr:
        """Columns on the product of ``coords`` (dim -> labels), only where ``mask`` holds."""
        dims = tuple(coords)
        axes = {d: np.asarray(list(v)) for d, v in coords.items()}
        shape = tuple(len(v) for v in axes.values())
        keep = np.ones(shape, bool) if mask is None else broadcast_values(mask, dims, shape)
        keep = keep.astype(bool)
        n = int(keep.sum())
        labels = np.full(shape, -1, np.int64)
        labels[keep] = np.arange(self.n_col, self.n_col + n)
        self.n_col += n
        for store, bound in ((self._lower, lower), (self._upper, upper)):
            store.append(np.asarray(broadcast_values(bound, dims, shape), float)[keep])
        self.variables[name] = Block(name, xr.DataArray(labels, dims=dims, coords=axes))
        return Expr(np.ones((*shape, 1)), labels[..., None], np.zeros(shape), dims, axes)

    def pyomo(self, component: Any, dims: Sequence[str], coords: Mapping[str, Any]) -> Expr:
        """An indexed Pyomo Var or linear Expression as an :class:`Expr` on ``dims``.

        The component's index must be the product of ``coords[d]`` for ``d`` in ``dims``,
        in that order. Each Pyomo variable becomes one proxy column, which compiling maps
        to its Pyomo column (or folds into the bounds when the variable is fixed).
        """
        from pyomo.repn import generate_standard_repn

        shape = tuple(len(coords[d]) for d in dims)
        terms: list[tuple[tuple[float, ...], tuple[int, ...], float]] = []
        for data in component.values():
            if data.is_variable_type():
                terms.append(((1.0,), (self._proxy(data),), 0.0))
                continue
            repn = generate_standard_repn(data.expr, quadratic=False, compute_values=True)
            if repn.nonlinear_expr is not None:
                raise ValueError(f"{component.name} is not linear")
            labels = tuple(self._proxy(v) for v in repn.linear_vars)
            terms.append((tuple(repn.linear_coefs), labels, float(repn.constant)))
        width = max(1, *(len(c) for c, _, _ in terms)) if terms else 1
        coefs = np.zeros((len(terms), width))
        labels = np.full((len(terms), width), -1, np.int64)
        const = np.zeros(len(terms))
        for i, (cs, ls, c0) in enumerate(terms):
            coefs[i, : len(cs)], labels[i, : len(ls)], const[i] = cs, ls, c0
        axes = {d: np.asarray(list(coords[d])) for d in dims}
        return Expr(
            coefs.reshape(*shape, width),
            labels.reshape(*shape, width),
            const.reshape(shape),
            tuple(dims),
            axes,
        )

    def _proxy(self, var: Any) -> int:
        number = self._proxy_of.get(id(var))
        if number is None:
            number = len(self.proxies)
            self.proxies.append(var)
            self._proxy_of[id(var)] = number
        return -2 - number

    # --- rows -----------------------------------------------------------------------------

    def add_constraints(
        self, name: str, lhs: Expr, sense: str, rhs: Any = 0.0, *, mask: Any = None
    ) -> None:
        """Rows ``lhs (sense) rhs`` on the dims of ``lhs`` (and ``rhs``), where ``mask``.

        A row left with no term is dropped if it holds, and marks the model infeasible if
        it cannot (``infeasible_rows``).
        """
        if sense not in SENSES:
            raise ValueError(f"sense must be one of {SENSES}, not {sense!r}")
        r_dims, r_values, r_coords = expr_parts(rhs)
        dims, shape, coords = union(
            lhs.dims, lhs.shape, lhs.coords, r_dims, r_values.shape, r_coords
        )
        coefs, labels, const = lhs.on(dims, shape)
        bound = broadcast_values(rhs, dims, shape) - const
        c = coefs.reshape(-1, coefs.shape[-1])
        v = labels.reshape(-1, labels.shape[-1])
        b = bound.ravel()
        valid = (v != -1) & (c != 0)
        wanted = np.ones(b.shape, bool)
        if mask is not None:
            wanted = broadcast_values(mask, dims, shape).astype(bool).ravel()
        keep = wanted & valid.any(axis=1)
        empty = wanted & ~keep
        if empty.any():  # 0 (sense) b must hold by itself
            broken = {"<=": b[empty] < -1e-9, ">=": b[empty] > 1e-9, "==": abs(b[empty]) > 1e-9}
            if broken[sense].any():
                self.infeasible_rows.append(name)
        n = int(keep.sum())
        row_id = np.full(b.shape, -1, np.int64)
        row_id[keep] = np.arange(self.n_row, self.n_row + n)
        self.n_row += n
        take = valid & keep[:, None]
        self._rows.append((name, np.broadcast_to(row_id[:, None], v.shape)[take], v[take], c[take]))
        b = b[keep]
        self._row_lower.append(b if sense in (">=", "==") else np.full(n, -np.inf))
        self._row_upper.append(b if sense in ("<=", "==") else np.full(n, np.inf))
        axes = {d: coords[d] for d in dims if d in coords}
        self.constraints[name] = Block(
            name, xr.DataArray(row_id.reshape(shape), dims=dims, coords=axes)
        )

    def add_expression(self, name: str, expr: Expr) -> None:
        """Name an expression, for results to evaluate at the solution."""
        self.expressions[name] = expr

    def add_cost(self, component: str, expr: Expr) -> None:
        """A yearly cost of ``component`` (M$ in that year's money) on dims year [, region]."""
        extra = set(expr.dims) - {"year", "region"}
        if "year" not in expr.dims or extra:
            raise ValueError(f"a cost is by year and maybe region, not by {expr.dims}")
        self.costs.append(Cost(component, expr))

    # --- compiling ------------------------------------------------------------------------

    def matrix(
        self, pyomo_column: Mapping[int, int], n_pyomo_col: int, skip: Iterable[str] = ()
    ) -> Compiled:
        """The array part as sparse rows over the whole LP's columns, and the cost vector.

        ``pyomo_column`` maps ``id(VarData)`` to the column of the compiled Pyomo part,
        ``n_pyomo_col`` is its column count; :attr:`weight` (by year) turns yearly costs
        into the objective. Rows of the blocks named in ``skip`` are left free (to relax a
        family).
        """
        if self.weight is None:
            raise RuntimeError("no objective weight: the objective family sets it")
        proxy_col = np.full(len(self.proxies), -1, np.int64)
        proxy_fixed = np.zeros(len(self.proxies))
        extra: list[Any] = []  # Pyomo variables that only array rows or costs use
        for number, var in enumerate(self.proxies):
            if var.fixed:
                proxy_fixed[number] = var.value
            elif id(var) in pyomo_column:
                proxy_col[number] = pyomo_column[id(var)]
            else:
                proxy_col[number] = n_pyomo_col + len(extra)
                extra.append(var)
        first_own = n_pyomo_col + len(extra)
        n_col = first_own + self.n_col

        columns = _ColumnMap(proxy_col, proxy_fixed, first_own)
        skip = set(skip)
        rows, cols, vals = [], [], []
        lower = np.concatenate(self._row_lower) if self._row_lower else np.zeros(0)
        upper = np.concatenate(self._row_upper) if self._row_upper else np.zeros(0)
        shift = np.zeros(self.n_row)
        for name, r, v, c in self._rows:
            col, fixed = columns.of(v)
            shift += np.bincount(r, weights=c * fixed, minlength=self.n_row)
            live = col >= 0
            rows.append(r[live])
            cols.append(col[live])
            vals.append(c[live])
            if name in skip:
                lower[r], upper[r] = -np.inf, np.inf
        a = sp.csc_matrix(
            (
                np.concatenate(vals) if vals else np.zeros(0),
                (
                    np.concatenate(rows) if rows else np.zeros(0, np.int64),
                    np.concatenate(cols) if cols else np.zeros(0, np.int64),
                ),
            ),
            shape=(self.n_row, n_col),
        )
        cost, offset = self.cost_vector(columns, n_col, self.weight)
        own_lower = np.concatenate(self._lower) if self._lower else np.zeros(0)
        own_upper = np.concatenate(self._upper) if self._upper else np.zeros(0)
        return Compiled(
            a=a,
            row_lower=lower - shift,
            row_upper=upper - shift,
            cost=cost,
            offset=offset,
            extra=extra,
            own_lower=own_lower,
            own_upper=own_upper,
            proxy_col=proxy_col,
            proxy_fixed=proxy_fixed,
            first_own=first_own,
            columns=columns,
        )

    def cost_vector(
        self, columns: _ColumnMap, n_col: int, weight: xr.DataArray
    ) -> tuple[np.ndarray, float]:
        """Objective coefficients of every column, and the constant, for yearly ``weight``."""
        cost = np.zeros(n_col)
        offset = 0.0
        for item in self.costs:
            expr = item.expr
            factor = broadcast_values(weight, expr.dims, expr.shape)
            coefs = expr.coefs * factor[..., None]
            col, fixed = columns.of(expr.labels)
            live = col >= 0
            cost += np.bincount(col[live], weights=coefs[live], minlength=n_col)
            offset += float((coefs * fixed).sum() + (expr.const * factor).sum())
        return cost, offset

    def years_of(self, blocks: Mapping[str, Block], size: int) -> np.ndarray:
        """The year of each of ``size`` columns (or rows) numbered by ``blocks``; 0: none."""
        out = np.zeros(size, np.int64)
        for block in blocks.values():
            labels = block.labels
            if "year" not in labels.dims:
                continue
            years = labels["year"].broadcast_like(labels).transpose(*labels.dims).to_numpy()
            ids = labels.to_numpy()
            out[ids[ids >= 0]] = years[ids >= 0]
        return out

    # --- reading a solution ---------------------------------------------------------------

    def values(self, name: str, solution: Solution) -> xr.DataArray:
        """The values of block ``name`` (NaN where it has no column)."""
        labels = self.variables[name].labels
        data = labels.to_numpy()
        out = np.where(data >= 0, solution.col_value[np.maximum(data, 0) + solution.first_own], 0.0)
        return labels.copy(data=np.where(data >= 0, out, np.nan))

    def duals(self, name: str, solution: Solution) -> xr.DataArray:
        """The duals of the rows of block ``name`` (NaN where it has no row or no duals)."""
        ids = self.constraints[name].labels
        data = ids.to_numpy()
        if solution.row_dual.size == 0:
            return ids.copy(data=np.full(data.shape, np.nan))
        picked = solution.row_dual[np.maximum(data, 0) + solution.first_row]
        return ids.copy(data=np.where(data >= 0, picked, np.nan))

    def evaluate(self, expr: Expr, solution: Solution) -> xr.DataArray:
        """The value of an expression at a solution, on its dims."""
        labels = expr.labels
        proxy = labels <= -2
        number = np.where(proxy, -2 - labels, 0)
        col = np.where(
            proxy,
            solution.proxy_col[number],
            np.where(labels >= 0, labels + solution.first_own, -1),
        )
        x = np.where(col >= 0, solution.col_value[np.maximum(col, 0)], 0.0)
        x = np.where(proxy & (col < 0), solution.proxy_fixed[number], x)
        return expr.to_dataarray(expr.const + (expr.coefs * x).sum(axis=-1))

    def cost_by_component(self, solution: Solution) -> dict[str, list[xr.DataArray]]:
        """Every registered cost evaluated at ``solution``, grouped by component."""
        out: dict[str, list[xr.DataArray]] = {}
        for item in self.costs:
            out.setdefault(item.component, []).append(self.evaluate(item.expr, solution))
        return out

    def row_name(self, row: int) -> tuple[str, tuple[Any, ...]]:
        """Block name and index (coordinate labels) of array row ``row``."""
        for name, block in self.constraints.items():
            hits = np.argwhere(block.labels.to_numpy() == row)
            if hits.size:
                idx = hits[0]
                return name, tuple(
                    block.labels[d].values[i].item()
                    for d, i in zip(block.labels.dims, idx, strict=True)
                )
        raise KeyError(row)


@dataclass(frozen=True)
class _ColumnMap:
    """Where array labels land in the whole LP: own columns after the Pyomo ones; a proxy
    at its Pyomo variable's column, or folded into constants when that one is fixed."""

    proxy_col: np.ndarray
    proxy_fixed: np.ndarray
    first_own: int

    def of(self, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Final columns of ``labels`` (-1: none) and the value of fixed proxies."""
        proxy = labels <= -2
        number = np.where(proxy, -2 - labels, 0)
        own = np.where(labels >= 0, labels + self.first_own, -1)
        col = np.where(proxy, self.proxy_col[number], own)
        fixed = np.where(proxy & (col < 0), self.proxy_fixed[number], 0.0)
        return col, fixed


@dataclass(frozen=True)
class Compiled:
    """The array part over the whole LP's columns (see :meth:`ArrayModel.matrix`)."""

    a: sp.csc_matrix
    row_lower: np.ndarray
    row_upper: np.ndarray
    cost: np.ndarray
    offset: float
    extra: list[Any]
    own_lower: np.ndarray
    own_upper: np.ndarray
    proxy_col: np.ndarray
    proxy_fixed: np.ndarray
    first_own: int
    columns: _ColumnMap


@dataclass(frozen=True)
class Solution:
    """What reading array blocks needs of a solve: values, duals and the column maps."""

    col_value: np.ndarray
    row_dual: np.ndarray
    first_own: int
    first_row: int
    proxy_col: np.ndarray
    proxy_fixed: np.ndarray
