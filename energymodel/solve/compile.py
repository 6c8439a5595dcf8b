"""The model as one sparse LP: the compiled Pyomo part, then the bulk-built blocks."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyomo.environ as pyo
import scipy.sparse as sp
from pyomo.common.errors import InfeasibleConstraintException
from pyomo.repn.plugins.standard_form import LinearStandardFormCompiler

from energymodel.model.arrays import Compiled as ArrayCompiled
from energymodel.solve.highs import highspy

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Compiled:
    """The whole LP: the compiled Pyomo part first (its columns and rows), then the bulk
    part of ``m.arrays``: columns of Pyomo variables only it uses, its own columns, its
    rows (``arrays``; see :meth:`ArrayModel.matrix`)."""

    lp: Any  # highspy.HighsLp
    columns: list[pyo.Var]
    rows: list[pyo.Constraint]
    arrays: ArrayCompiled

    @property
    def n_pyomo_rows(self) -> int:
        return len(self.rows)


def compile_model(m: pyo.ConcreteModel, skip: Iterable[str] = ()) -> Compiled:
    """The model as one sparse LP, with its Pyomo columns and rows in order.

    Fixed variables are folded into the right-hand sides; each row keeps its sense. The
    rows named in ``skip`` (array blocks; Pyomo ones are deactivated) are left free.
    """
    info = LinearStandardFormCompiler().write(m, mixed_form=True)
    n_row, n_col = info.A.shape
    columns = list(info.columns)
    bulk = m.arrays.matrix({id(v): i for i, v in enumerate(columns)}, n_col, skip)
    if m.arrays.infeasible_rows:
        raise InfeasibleConstraintException(
            f"rows with no free variable left cannot hold: {m.arrays.infeasible_rows}"
        )
    columns += bulk.extra
    n_total = bulk.a.shape[1]
    sense = np.fromiter((entry.bound_type for entry in info.rows), dtype=np.int8, count=n_row)
    rhs = np.asarray(info.rhs, dtype=float)
    a_pyomo = sp.csc_matrix((info.A.data, info.A.indices, info.A.indptr), shape=(n_row, n_col))
    a_pyomo.resize((n_row, n_total))
    a = sp.vstack([a_pyomo, bulk.a], format="csc")
    a.sum_duplicates()
    cost = bulk.cost.copy()
    cost[:n_col] += info.c.toarray().ravel() if n_col else 0.0
    bounds = [
        (-np.inf if v.lb is None else v.lb, np.inf if v.ub is None else v.ub) for v in columns
    ]
    lower = np.concatenate([np.array([b[0] for b in bounds], float), bulk.own_lower])
    upper = np.concatenate([np.array([b[1] for b in bounds], float), bulk.own_upper])
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n_total, n_row + bulk.a.shape[0]
    lp.col_cost_ = cost
    lp.offset_ = (float(info.c_offset[0]) if len(info.c_offset) else 0.0) + bulk.offset
    lp.col_lower_, lp.col_upper_ = lower, upper
    lp.row_lower_ = np.concatenate([np.where(sense == 1, -np.inf, rhs), bulk.row_lower])
    lp.row_upper_ = np.concatenate([np.where(sense == -1, np.inf, rhs), bulk.row_upper])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(float)
    lp.sense_ = highspy.ObjSense.kMinimize
    return Compiled(lp, columns, [entry.constraint for entry in info.rows], bulk)


def compile_or_none(m: pyo.ConcreteModel, skip: Iterable[str] = ()) -> Compiled | None:
    try:
        return compile_model(m, skip)
    except InfeasibleConstraintException as err:
        logger.info("%s: %s", m.name, err)
        return None
