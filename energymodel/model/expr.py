"""Linear expressions on named dims, for the rows built in bulk (:mod:`energymodel.model.arrays`).

An :class:`Expr` holds, for every element of its dims, a few terms (coefficient, column
label) and a constant. Arithmetic broadcasts by dim name with xarray, once per operation,
never element by element.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import xarray as xr

TERM = "_term"
"""The dim along which an expression's terms lie."""


def as_array(x: Any) -> xr.DataArray:
    if isinstance(x, xr.DataArray):
        return x
    value = np.asarray(x, dtype=float)
    if value.ndim:
        raise TypeError("combine an Expr with numbers or DataArrays (named dims), not arrays")
    return xr.DataArray(value)


def terms_last(da: xr.DataArray, dims: Sequence[str]) -> xr.DataArray:
    """``da`` with ``dims`` in this order, then TERM last."""
    return da.transpose(*dims, TERM)


class Expr:
    r"""A linear expression on named dims: :math:`\sum_k c_{\cdot,k}\,x_{l_{\cdot,k}} + d`.

    ``coefs`` and ``labels`` share the dims (the expression's dims, then ``_term``);
    ``labels`` are column labels of the :class:`ArrayModel` (-1: no term); ``const`` has
    the expression's dims.
    """

    __slots__ = ("coefs", "const", "labels")
    __array_ufunc__ = None  # DataArray * Expr would make an object array: write Expr * DataArray

    def __init__(self, coefs: xr.DataArray, labels: xr.DataArray, const: xr.DataArray) -> None:
        self.coefs, self.labels, self.const = coefs, labels, const

    @property
    def dims(self) -> tuple[str, ...]:
        return tuple(str(d) for d in self.const.dims)

    # --- arithmetic ---------------------------------------------------------------------

    def __mul__(self, other: Any) -> Expr:
        other = as_array(other)
        if TERM in other.dims:
            raise TypeError("an Expr can only be multiplied by numbers, not by another Expr")
        coefs = self.coefs * other
        dims = [d for d in coefs.dims if d != TERM]
        coefs = terms_last(coefs, dims)
        labels = terms_last(self.labels.broadcast_like(coefs), dims)
        return Expr(coefs, labels, (self.const * other).transpose(*dims))

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Expr:
        return self * (1.0 / as_array(other))

    def __neg__(self) -> Expr:
        return self * -1.0

    def __add__(self, other: Any) -> Expr:
        if not isinstance(other, Expr):
            const = self.const + as_array(other)
            if set(const.dims) == set(self.dims):
                return Expr(self.coefs, self.labels, const.transpose(*self.dims))
            other = constant(as_array(other))
        a_c, a_l, b_c, b_l = xr.broadcast(
            self.coefs, self.labels, other.coefs, other.labels, exclude=[TERM]
        )
        dims = [d for d in a_c.dims if d != TERM]
        coefs = np.concatenate([terms_last(a_c, dims).data, terms_last(b_c, dims).data], axis=-1)
        labels = np.concatenate([terms_last(a_l, dims).data, terms_last(b_l, dims).data], axis=-1)
        template = terms_last(a_c, dims).isel({TERM: 0}, drop=True)
        const = (self.const + other.const).broadcast_like(template).transpose(*dims)
        return Expr(with_terms(coefs, template), with_terms(labels, template), const)

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
        keep = [d for d in self.dims if d not in over]
        coefs = self.coefs.transpose(*keep, *over, TERM)
        labels = self.labels.transpose(*keep, *over, TERM)
        shape = (*tuple(coefs.sizes[d] for d in keep), -1)
        template = self.const.isel(dict.fromkeys(over, 0), drop=True).transpose(*keep)
        return Expr(
            with_terms(coefs.data.reshape(shape), template),
            with_terms(labels.data.reshape(shape), template),
            self.const.sum(over).transpose(*keep),
        )

    def isel(self, indexers: Mapping[str, Any]) -> Expr:
        """Select by position (non-dim coordinates, which positions would reorder, dropped)."""
        return Expr(
            self.coefs.isel(indexers).reset_coords(drop=True),
            self.labels.isel(indexers).reset_coords(drop=True),
            self.const.isel(indexers).reset_coords(drop=True),
        )

    def sel(self, indexers: Mapping[str, Any]) -> Expr:
        return Expr(self.coefs.sel(indexers), self.labels.sel(indexers), self.const.sel(indexers))

    def assign_coords(self, coords: Mapping[str, Any]) -> Expr:
        return Expr(
            self.coefs.assign_coords(coords),
            self.labels.assign_coords(coords),
            self.const.assign_coords(coords),
        )

    def rename(self, names: Mapping[str, str]) -> Expr:
        return Expr(self.coefs.rename(names), self.labels.rename(names), self.const.rename(names))

    def split(self, dim: str, into: Mapping[str, Sequence[Any]]) -> Expr:
        """Reshape ``dim`` into the dims ``into`` (row-major: the last varies fastest)."""
        position = self.dims.index(dim)
        sizes = tuple(len(v) for v in into.values())

        def reshape(da: xr.DataArray, has_term: bool) -> xr.DataArray:
            dims = list(self.dims)
            new_dims = [*dims[:position], *into, *dims[position + 1 :]]
            shape = da.shape[:position] + sizes + da.shape[position + 1 :]
            coords = {d: da[d].values for d in dims if d != dim and d in da.coords}
            coords |= {d: list(v) for d, v in into.items()}
            return xr.DataArray(
                da.data.reshape(shape),
                dims=[*new_dims, TERM] if has_term else new_dims,
                coords=coords,
            )

        return Expr(
            reshape(self.coefs, True), reshape(self.labels, True), reshape(self.const, False)
        )

    def where(self, cond: xr.DataArray) -> Expr:
        """Keep the terms and constant where ``cond`` holds; elsewhere the expression is 0."""
        cond = as_array(cond).astype(bool)
        labels = self.labels.where(cond, -1)
        dims = [d for d in labels.dims if d != TERM]
        labels = terms_last(labels, dims).astype(np.int64)
        coefs = terms_last(self.coefs.broadcast_like(labels), dims)
        const = self.const.where(cond, 0.0).broadcast_like(labels.isel({TERM: 0}, drop=True))
        return Expr(coefs, labels, const.transpose(*dims))


def with_terms(values: np.ndarray, template: xr.DataArray) -> xr.DataArray:
    """``values`` (template's shape + one term axis) as a DataArray on template's dims."""
    return xr.DataArray(values, dims=(*template.dims, TERM), coords=template.coords)


def constant(value: xr.DataArray) -> Expr:
    """An expression without terms."""
    value = as_array(value).astype(float)
    empty = value.expand_dims({TERM: 1}, axis=-1)
    return Expr(xr.zeros_like(empty), xr.full_like(empty, -1, dtype=np.int64), value)


def lin_sum(exprs: Iterable[Expr], dims: Sequence[str]) -> Expr:
    """The sum of ``exprs`` (an empty sum is 0 on no dims), in ``dims`` order."""
    total: Expr | None = None
    for e in exprs:
        total = e if total is None else total + e
    if total is None:
        return constant(xr.DataArray(0.0))
    present = [d for d in dims if d in total.dims]
    return Expr(
        terms_last(total.coefs, present),
        terms_last(total.labels, present),
        total.const.transpose(*present),
    )
