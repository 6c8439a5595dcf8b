"""The registry of constraint families and the model builder."""

from __future__ import annotations

from collections.abc import Callable

import pyomo.environ as pyo
import xarray as xr

from energymodel.model.arrays import ArrayModel
from energymodel.model.balance import add_firm_capacity, add_power_balance
from energymodel.model.capacity import add_it_capacity
from energymodel.model.compute import add_compute_demand
from energymodel.model.connection import add_connection
from energymodel.model.data import ModelData
from energymodel.model.firm_fuel import add_firm_fuel
from energymodel.model.flexible import add_flexible_connection
from energymodel.model.grid import add_grid
from energymodel.model.grid_system import add_grid_system
from energymodel.model.objective import add_objective
from energymodel.model.policy import add_policy
from energymodel.model.storage import add_storage
from energymodel.model.supply import add_supply
from energymodel.model.terms import Terms

Family = Callable[[pyo.ConcreteModel, ModelData, Terms], None]

REGISTRY: tuple[Family, ...] = (
    add_compute_demand,
    add_it_capacity,  # needs the IT load of compute demand
    add_supply,
    add_storage,
    add_firm_fuel,  # needs on-site capacity
    add_grid,
    add_connection,  # needs IT, on-site and grid capacity, and the grid draw
    add_grid_system,  # needs the data centres' grid draw and connection
    add_flexible_connection,  # needs the system's fleet; registers lost load
    add_power_balance,  # after every family that registers supply
    add_firm_capacity,
    add_policy,  # after balance: needs facility load
    add_objective,  # always last
)


def build_model(params: xr.Dataset, families: tuple[Family, ...] = REGISTRY) -> pyo.ConcreteModel:
    """Create the shared sets from the parameter Dataset, then call each family in order."""
    data = ModelData(params)
    m = pyo.ConcreteModel(name=str(params.attrs.get("scenario", "energymodel")))
    techs = data.coords("tech")
    duration = data.param("duration_h")
    storage = [s for s in techs if duration[s] > 0]
    m.YEAR = pyo.Set(initialize=data.years, ordered=True)
    m.REGION = pyo.Set(initialize=data.coords("region"), ordered=True)
    m.GEN = pyo.Set(initialize=[s for s in techs if s not in storage], ordered=True)
    m.STO = pyo.Set(initialize=storage, ordered=True)
    m.TIMESLICE = pyo.Set(initialize=[int(t) for t in data.coords("timeslice")], ordered=True)
    m.dispatch_check = data.checking  # the full-year check's dispatch (model/check.py)
    terms = Terms()
    m.arrays = ArrayModel()  # the hourly rows, built in bulk (model/arrays.py)
    m.family_constraints = {}  # family name -> its constraints, for infeasibility diagnosis
    for add_family in families:
        before = {c.local_name for c in m.component_objects(pyo.Constraint)}
        before_arrays = set(m.arrays.constraints)
        add_family(m, data, terms)
        added = [
            c.local_name for c in m.component_objects(pyo.Constraint) if c.local_name not in before
        ]
        added += [name for name in m.arrays.constraints if name not in before_arrays]
        m.family_constraints[add_family.__name__.removeprefix("add_")] = added
    return m
