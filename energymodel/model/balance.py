"""Power balance and firm capacity at each data-centre region."""

from __future__ import annotations

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.expr import lin_sum
from energymodel.model.terms import ExprLike, Terms

YRT = ("year", "region", "timeslice")


def add_power_balance(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Balance every registered supply against the facility load, hour by hour.

    .. math::
        \sum_{f \in \text{supply terms}} f(y,r,t)
        = \mathrm{PUE}_{y,r} \sum_w \ell_{y,r,w,t} \qquad \forall y, r, t

    Supply terms: on-site generation, grid import, storage discharge minus charge.
    Generation may be curtailed (its limits are inequalities), so equality is safe. The
    dual of ``power_balance`` is the marginal cost of facility power. Built in bulk.
    """
    facility = lin_sum(terms.it_load_gw, YRT) * data.array("pue_ratio")
    terms.facility_load_gw = facility
    m.arrays.add_constraints("power_balance", lin_sum(terms.supply_gw, YRT) - facility, "==", 0.0)


def add_firm_capacity(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Hold firm supply for the facility's peak draw plus a reserve margin.

    .. math::
        \sum_s c_s K_{y,r,s} + K^{G}_{y,r}
        \ge (1 + \rho)\, \mathrm{PUE}_{y,r}\, P_{y,r}

    :math:`c_s` is each source's firm capacity credit (grid connection counts in full;
    storage in proportion to its duration, see ``storage_firm_hours``), :math:`P` the IT
    peak the dispatch reaches (``it_peak_gw``, at most the highest hourly draw of the
    nameplate), :math:`\rho` the reserve margin. Sized on the peak the load needs, not
    on nameplate: IT that is never drawn in full does not hold firm power for its
    nameplate. The dual of ``firm_capacity``, spread over the hours that set the peak
    (in proportion to the duals of their ``it_peak`` rows), is the capacity part of the
    marginal cost of power (``results.py``).
    """
    pue = data.param("pue_ratio")
    margin = float(data.ds["reserve_margin_frac"])

    @m.Constraint(m.YEAR, m.REGION)
    def firm_capacity(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        firm = sum(term(m, y, r) for term in terms.firm_gw + terms.onsite_firm_gw)
        return firm >= (1 + margin) * pue[(y, r)] * m.it_peak_gw[y, r]
