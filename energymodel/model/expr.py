"""Linear expressions on named dims, for the rows built in bulk (:mod:`energymodel.model.arrays`).

An :class:`Expr` holds, for every element of its dims, a few terms (coefficient, column
label) and a constant, as plain numpy arrays with a tuple of dim names and their
coordinate labels. Arithmetic broadcasts by dim name, once per operation, never element
by element; numbers come in as DataArrays (parameters) or scalars. No xarray inside: its
index bookkeeping would cost a fixed few tenths of a second per model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

Coords = dict[str, np.ndarray]


def as_array(x: Any) -> xr.DataArray:
    """A number or DataArray as a DataArray (a bare numpy array has no dim names)."""
    if isinstance(x, xr.DataArray):
        return x
    value = np.asarray(x, dtype=float)
    if value.ndim:
        raise TypeError("combine an Expr with numbers or DataArrays (named dims), not arrays")
    return xr.DataArray(value)


def expr_parts(x: Any) -> tuple[tuple[str, ...], np.ndarray, Coords]:
    """Dims, values and coordinates of a number or DataArray."""
    da = as_array(x)
    dims = tuple(str(d) for d in da.dims)
    return (
        dims,
        np.asarray(da.values),
        {d: np.asarray(da[d].values) for d in dims if d in da.coords},
    )


def _lay_out(
    values: np.ndarray, dims: tuple[str, ...], to: tuple[str, ...], terms: bool
) -> np.ndarray:
    """``values`` (on ``dims``, then a term axis if ``terms``) on ``to``, size 1 where absent."""
    order = [dims.index(d) for d in to if d in dims]
    if terms:
        order.append(len(dims))
    moved = np.transpose(values, order)
    it = iter(moved.shape)
    shape = [next(it) if d in dims else 1 for d in to]
    return moved.reshape(shape + ([moved.shape[-1]] if terms else []))


def union(
    a: tuple[str, ...], a_shape: tuple, a_coords: Coords,
    b: tuple[str, ...], b_shape: tuple, b_coords: Coords,
) -> tuple[tuple[str, ...], tuple[int, ...], Coords]:  # fmt: skip
    """Dims, shape and coordinates of two operands broadcast together (a's dims first)."""
    sizes = dict(zip(a, a_shape, strict=True))
    for d, n in zip(b, b_shape, strict=True):
        if d in sizes and sizes[d] != n:
            raise ValueError(f"dim {d!r} has {sizes[d]} labels on one side, {n} on the other")
        sizes.setdefault(d, n)
    coords = {**b_coords, **a_coords}
    for d in set(a_coords) & set(b_coords):
        if not np.array_equal(a_coords[d], b_coords[d]):
            raise ValueError(f"dim {d!r} has different labels on the two sides")
    to = a + tuple(d for d in b if d not in a)
    return to, tuple(sizes[d] for d in to), coords


def broadcast_values(x: Any, dims: tuple[str, ...], shape: tuple[int, ...]) -> np.ndarray:
    """The values of a number or DataArray laid out on ``dims`` of ``shape``."""
    x_dims, values, _ = expr_parts(x)
    missing = [d for d in x_dims if d not in dims]
    if missing:
        raise ValueError(f"{missing} are not among the dims {dims}")
    return np.broadcast_to(_lay_out(values, x_dims, dims, False), shape)


class Expr:
    r"""A linear expression on named dims: :math:`\sum_k c_{\cdot,k}\,x_{l_{\cdot,k}} + d`.

    ``coefs`` and ``labels`` have the expression's shape plus a last axis of terms;
    ``labels`` are column labels of the :class:`ArrayModel` (-1: no term, below -1: a Pyomo
    variable); ``const`` has the expression's shape; ``coords`` the labels of each dim.
    """

    __slots__ = ("coefs", "const", "coords", "dims", "labels")
    __array_ufunc__ = None  # DataArray * Expr would make an object array: write Expr * DataArray

    def __init__(
        self,
        coefs: np.ndarray,
        labels: np.ndarray,
        const: np.ndarray,
        dims: Sequence[str],
        coords: Coords,
    ) -> None:
        self.coefs, self.labels, self.const = coefs, labels, const
        self.dims, self.coords = tuple(dims), coords

    @property
    def shape(self) -> tuple[int, ...]:
        return self.const.shape

    def on(self, to: tuple[str, ...], shape: tuple[int, ...]) -> tuple[np.ndarray, ...]:
        """Coefficients, labels and constant broadcast to dims ``to`` of ``shape``."""
        k = self.coefs.shape[-1]
        coefs = np.broadcast_to(_lay_out(self.coefs, self.dims, to, True), (*shape, k))
        labels = np.broadcast_to(_lay_out(self.labels, self.dims, to, True), (*shape, k))
        const = np.broadcast_to(_lay_out(self.const, self.dims, to, False), shape)
        return coefs, labels, const

    # --- arithmetic ---------------------------------------------------------------------

    def __mul__(self, other: Any) -> Expr:
        if isinstance(other, Expr):
            raise TypeError("an Expr can only be multiplied by numbers, not by another Expr")
        dims, values, coords = expr_parts(other)
        to, shape, merged = union(self.dims, self.shape, self.coords, dims, values.shape, coords)
        coefs, labels, const = self.on(to, shape)
        factor = np.broadcast_to(_lay_out(values, dims, to, False), shape)
        return Expr(coefs * factor[..., None], labels, const * factor, to, merged)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Expr:
        return self * (1.0 / as_array(other))

    def __neg__(self) -> Expr:
        return Expr(-self.coefs, self.labels, -self.const, self.dims, self.coords)

    def __add__(self, other: Any) -> Expr:
        if not isinstance(other, Expr):
            other = constant(other)
        to, shape, merged = union(
            self.dims, self.shape, self.coords, other.dims, other.shape, other.coords
        )
        c1, l1, k1 = self.on(to, shape)
        c2, l2, k2 = other.on(to, shape)
        return Expr(
            np.concatenate([c1, c2], axis=-1),
            np.concatenate([l1, l2], axis=-1),
            k1 + k2,
            to,
            merged,
        )

    __radd__ = __add__

    def __sub__(self, other: Any) -> Expr:
        return self + (-other)

    def __rsub__(self, other: Any) -> Expr:
        return (-self) + other

    # --- reshaping ----------------------------------------------------------------------

    def sum(self, dims: str | Iterable[str]) -> Expr:
        """Sum over ``dims``: their entries become terms."""
        over = [dims] if isinstance(dims, str) else list(dims)
        over = [d for d in over if d in self.dims]
        if not over:
            return self
        keep = tuple(d for d in self.dims if d not in over)
        order = [self.dims.index(d) for d in (*keep, *over)]
        n = len(self.dims)
        shape = tuple(self.shape[self.dims.index(d)] for d in keep)
        coefs = np.transpose(self.coefs, [*order, n]).reshape(*shape, -1)
        labels = np.transpose(self.labels, [*order, n]).reshape(*shape, -1)
        const = self.const.sum(axis=tuple(self.dims.index(d) for d in over))
        return Expr(
            coefs, labels, const, keep, {d: self.coords[d] for d in keep if d in self.coords}
        )

    def isel(self, indexers: Mapping[str, Any]) -> Expr:
        """Select by position: an int drops the dim; an array keeps it (new order); a
        DataArray of positions on another dim puts that dim in its place."""
        out = self
        for dim, index in indexers.items():
            out = out._take(dim, index)
        return out

    def _take(self, dim: str, index: Any) -> Expr:
        axis = self.dims.index(dim)
        coords = dict(self.coords)
        dims = list(self.dims)
        if isinstance(index, xr.DataArray):
            (new,) = index.dims
            positions = np.asarray(index.values)
            dims[axis] = str(new)
            coords.pop(dim, None)
            coords[str(new)] = (
                np.asarray(index[new].values) if new in index.coords else np.arange(positions.size)
            )
        elif np.ndim(index) == 0:
            positions = int(index)
            del dims[axis]
            coords.pop(dim, None)
        else:
            positions = np.asarray(index)
            if dim in coords:
                coords[dim] = coords[dim][positions]
        return Expr(
            np.take(self.coefs, positions, axis=axis),
            np.take(self.labels, positions, axis=axis),
            np.take(self.const, positions, axis=axis),
            dims,
            coords,
        )

    def sel(self, indexers: Mapping[str, Any]) -> Expr:
        """Select by label (a label drops the dim, a list keeps it)."""
        positions = {}
        for dim, label in indexers.items():
            known = list(self.coords[dim])
            positions[dim] = (
                [known.index(v) for v in label] if isinstance(label, list) else known.index(label)
            )
        return self.isel(positions)

    def assign_coords(self, coords: Mapping[str, Any]) -> Expr:
        merged = {**self.coords, **{d: np.asarray(v) for d, v in coords.items()}}
        return Expr(self.coefs, self.labels, self.const, self.dims, merged)

    def rename(self, names: Mapping[str, str]) -> Expr:
        dims = tuple(names.get(d, d) for d in self.dims)
        coords = {names.get(d, d): v for d, v in self.coords.items()}
        return Expr(self.coefs, self.labels, self.const, dims, coords)

    def split(self, dim: str, into: Mapping[str, Sequence[Any]]) -> Expr:
        """Reshape ``dim`` into the dims ``into`` (row-major: the last varies fastest)."""
        axis = self.dims.index(dim)
        sizes = tuple(len(v) for v in into.values())
        dims = (*self.dims[:axis], *into, *self.dims[axis + 1 :])
        coords = {d: v for d, v in self.coords.items() if d != dim}
        coords |= {d: np.asarray(v) for d, v in into.items()}

        def reshape(values: np.ndarray) -> np.ndarray:
            return values.reshape(values.shape[:axis] + sizes + values.shape[axis + 1 :])

        return Expr(reshape(self.coefs), reshape(self.labels), reshape(self.const), dims, coords)

    def where(self, cond: Any) -> Expr:
        """Keep the terms and constant where ``cond`` holds; elsewhere the expression is 0."""
        dims, values, coords = expr_parts(cond)
        to, shape, merged = union(self.dims, self.shape, self.coords, dims, values.shape, coords)
        coefs, labels, const = self.on(to, shape)
        keep = np.broadcast_to(_lay_out(values.astype(bool), dims, to, False), shape)
        return Expr(
            coefs, np.where(keep[..., None], labels, -1), np.where(keep, const, 0.0), to, merged
        )

    def to_dataarray(self, values: np.ndarray) -> xr.DataArray:
        """``values`` of this expression's shape as a DataArray on its dims and labels."""
        return xr.DataArray(
            values,
            dims=self.dims,
            coords={d: self.coords[d] for d in self.dims if d in self.coords},
        )


def constant(value: Any) -> Expr:
    """An expression without terms."""
    dims, values, coords = expr_parts(value)
    values = values.astype(float)
    return Expr(
        np.zeros((*values.shape, 1)),
        np.full((*values.shape, 1), -1, np.int64),
        values,
        dims,
        coords,
    )


def lin_sum(exprs: Iterable[Expr], dims: Sequence[str]) -> Expr:
    """The sum of ``exprs`` (an empty sum is 0 on no dims), laid out on ``dims``."""
    total: Expr | None = None
    for e in exprs:
        total = e if total is None else total + e
    if total is None:
        return constant(0.0)
    present = tuple(d for d in dims if d in total.dims) + tuple(
        d for d in total.dims if d not in dims
    )
    coefs, labels, const = total.on(
        present, tuple(total.shape[total.dims.index(d)] for d in present)
    )
    return Expr(coefs, labels, const, present, total.coords)
