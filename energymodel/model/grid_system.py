"""The regional power system around the data centres (``grid.mode: system``).

In a ``system`` region the grid is not a price list: the region's other load, its existing
fleet and new grid-side plant are in the LP, and the data centres' draw joins the same
regional balance. Prices are duals (the hourly energy price of ``system_balance``, the
capacity price of ``system_adequacy``), and grid carbon follows from dispatch. The method
is that of the studies that add data-centre load to a power-system model and compare with
a run without it (GenX's capacity reserve margin; Riepin & Brown's PyPSA-Eur runs; the
CMU / NC State Temoa study of US data-centre growth). ``tariff`` regions have no rows here.
"""

from __future__ import annotations

import math

import pyomo.environ as pyo

from energymodel.model.data import ModelData
from energymodel.model.expr import lin_sum
from energymodel.model.technology import annuity_cost
from energymodel.model.terms import ExprLike, Terms
from energymodel.units import GWH_PER_TWH, HOURS_PER_YEAR

YRT = ("year", "region", "timeslice")
YRG = ("year", "region", "grid_tech")


def add_grid_system(m: pyo.ConcreteModel, data: ModelData, terms: Terms) -> None:
    r"""Balance each ``system`` region's fleet against its other load and the data centres.

    .. math::
        K^F_{y,r,g} = E^F_{y,r,g} + \sum_{v \le y < v + L_{r,g}} B^F_{v,r,g} \qquad
        B^F_{y,r,g} \le \bar B^F_{y,r,g} W_y \ (\text{from the lead time on})

        f_{y,r,g,t} \le a_{r,g,t} K^F_{y,r,g} \qquad
        \sum_t h_t f_{y,r,g,t} \le \beta_{r,g}\, 8760\, K^F_{y,r,g} \ (\text{hydro})

        \sum_g f_{y,r,g,t} + \sum_{g\,sto} (d - c)_{y,r,g,t} + u_{y,r,t}
        = L^o_{y,r,t} + i_{y,r,t} - e_{y,r,t} \qquad (\text{dual: energy price})

        \sum_g \alpha_{r,g} K^F_{y,r,g} \ge (1 + \rho^S_{y,r})\,\bar\alpha_r
        \,(\hat L^o_{y,r} + K^G_{y,r} - K^X_{y,r}) \qquad (\text{dual: capacity price})

        \sum_t h_t \sum_g \gamma_g f_{y,r,g,t} \ge x_{y,r} \sum_t h_t (L^o + i - e)
        \ (\text{clean-energy standard})

    :math:`E^F` is the existing fleet after announced retirements, :math:`a` its hourly
    availability (measured wind and solar profiles, thermal derates), :math:`\beta` the
    yearly energy budget of hydro, :math:`L^o` the other load (measured hourly shape x an
    outlook's yearly energy), :math:`\hat L^o` its peak over the full measured year,
    :math:`i - e` the data centres' net draw, :math:`K^G` their contracted connection
    less its non-firm part :math:`K^X` (``model/connection.py``: their firm demand on the
    system), :math:`\alpha` the accreditation (ELCC class
    ratings), :math:`\rho^S` the system's installed reserve margin, :math:`\bar\alpha_r` the
    pool's average accreditation in the first model year (so the requirement is in
    accredited capacity, as PJM's forecast pool requirement = (1 + IRM) x the pool's
    average UCAP/ICAP ratio) and :math:`u` load shed at the
    value of lost load. Accredited capacity that cannot be had in time (lead times, build
    limits) is made up by a shortfall priced at ``capacity_shortfall_usd_per_kw_yr`` (the
    cap of the capacity price, as an auction's price cap), so a short system still solves
    and says by how much it falls short (``system_capacity_short_gw``). Grid storage
    cycles within each representative day (:math:`s_t = s_{t-1} + \eta c_t - d_t`,
    :math:`s \le H K^F`). Costs: fuel, variable
    O&M and carbon of the dispatch, annuities of new grid-side plant, fixed O&M of the
    fleet alive, shed load; they are the system's (``system_*`` components), not the
    data centres': the data centres pay prices, computed from the duals after the solve
    (:mod:`energymodel.results.grid_system`). Skipped when no region runs ``system``.
    """
    if not data.has("system_region_frac"):
        return
    system = data.array("system_region_frac") > 0  # (region)
    if not bool(system.any()):
        return
    am = m.arrays
    techs = data.coords("grid_tech")
    existing = data.param("fleet_existing_gw")
    capex = data.param("fleet_capex_usd_per_kw")
    allowed = data.param("fleet_build_allowed_frac")
    limit = data.param("fleet_max_build_gw_per_yr")
    life = data.param("fleet_life_yr")
    in_system = {r: bool(v) for r, v in zip(data.coords("region"), system.values, strict=True)}

    m.GRID_TECH = pyo.Set(initialize=techs, ordered=True)
    m.fleet_new_gw = pyo.Var(m.YEAR, m.REGION, m.GRID_TECH, within=pyo.NonNegativeReals)
    m.fleet_capacity_gw = pyo.Var(m.YEAR, m.REGION, m.GRID_TECH, within=pyo.NonNegativeReals)
    for (y, r, g), var in m.fleet_new_gw.items():
        if not (in_system[r] and allowed[(y, r, g)] and math.isfinite(capex[(y, r, g)])):
            var.fix(0.0)

    @m.Constraint(m.YEAR, m.REGION, m.GRID_TECH)
    def fleet_capacity_def(m: pyo.ConcreteModel, y: int, r: str, g: str) -> ExprLike:
        alive = data.alive(life[(r, g)])[y]
        return m.fleet_capacity_gw[y, r, g] == existing[(y, r, g)] + sum(
            m.fleet_new_gw[v, r, g] for v in alive
        )

    @m.Constraint(m.YEAR, m.REGION, m.GRID_TECH)
    def fleet_build_limit(m: pyo.ConcreteModel, y: int, r: str, g: str) -> ExprLike:
        if m.fleet_new_gw[y, r, g].fixed or math.isnan(limit[(y, r, g)]):
            return pyo.Constraint.Skip
        return m.fleet_new_gw[y, r, g] <= limit[(y, r, g)] * data.weight[y]

    yrg = data.coords_of(*YRG)
    capacity = am.pyomo(m.fleet_capacity_gw, YRG, yrg)
    coords = data.coords_of("year", "region", "grid_tech", "timeslice")
    duration = data.array("fleet_duration_h")  # (region, grid_tech); > 0: storage
    present = (data.array("fleet_existing_gw").max("year") > 0) | data.array(
        "fleet_capex_usd_per_kw"
    ).notnull().any("year")
    present = present & system
    avail = data.array("fleet_availability_frac")  # (region, grid_tech, timeslice)
    generates = present & (duration == 0) & (avail > 0)
    gen = am.add_variables("fleet_generation_gw", coords, mask=generates)
    am.add_constraints("fleet_generation_limit", gen - capacity * avail, "<=", 0.0, mask=generates)
    hours = data.hours
    energy_twh = gen * (hours / GWH_PER_TWH)  # (year, region, grid_tech, timeslice)
    budget = data.array("fleet_energy_budget_frac")
    am.add_constraints(
        "fleet_energy_budget",
        energy_twh.sum("timeslice")
        - capacity * (budget.fillna(0.0) * HOURS_PER_YEAR / GWH_PER_TWH),
        "<=",
        0.0,
        mask=budget.notnull() & present & (duration == 0),
    )

    stores = present & (duration > 0)
    charge = am.add_variables("fleet_charge_gw", coords, mask=stores)
    discharge = am.add_variables("fleet_discharge_gw", coords, mask=stores)
    soc = am.add_variables("fleet_soc_gwh", coords, mask=stores)
    before = soc.isel({"timeslice": data.previous_index}).assign_coords(
        {"timeslice": soc.coords["timeslice"]}
    )
    efficiency = data.array("fleet_roundtrip_efficiency_frac")
    am.add_constraints("fleet_charge_limit", charge - capacity, "<=", 0.0, mask=stores)
    am.add_constraints("fleet_discharge_limit", discharge - capacity, "<=", 0.0, mask=stores)
    am.add_constraints("fleet_soc_limit", soc - capacity * duration, "<=", 0.0, mask=stores)
    am.add_constraints(
        "fleet_soc_balance",
        soc - before - charge * efficiency + discharge,
        "==",
        0.0,
        mask=stores,
    )

    yrt = data.coords_of(*YRT)
    shed = am.add_variables("system_shed_gw", yrt, mask=system)
    other = data.array("other_load_gw")  # (year, region, timeslice)
    draw = lin_sum(terms.grid_draw_gw, YRT)
    supply = gen.sum("grid_tech") + (discharge - charge).sum("grid_tech") + shed
    am.add_constraints("system_balance", supply - draw, "==", other, mask=system)

    accreditation = data.param("fleet_accreditation_frac")
    requirement = data.param("system_requirement_ratio")
    peak = data.param("other_peak_gw")

    m.system_capacity_short_gw = pyo.Var(m.YEAR, m.REGION, within=pyo.NonNegativeReals)
    for (_, r), var in m.system_capacity_short_gw.items():
        if not in_system[r]:
            var.fix(0.0)

    @m.Constraint(m.YEAR, m.REGION)
    def system_adequacy(m: pyo.ConcreteModel, y: int, r: str) -> ExprLike:
        if not in_system[r]:
            return pyo.Constraint.Skip
        accredited = sum(
            accreditation[(r, g)] * m.fleet_capacity_gw[y, r, g]
            for g in techs
            if accreditation[(r, g)] > 0
        )
        firm = m.grid_capacity_gw[y, r]
        if hasattr(m, "grid_flexible_gw"):  # only the firm part (model/connection.py)
            firm = firm - m.grid_flexible_gw[y, r]
        need = requirement[(y, r)] * (peak[(y, r)] + firm)
        return accredited + m.system_capacity_short_gw[y, r] >= need

    clean = data.array("fleet_clean_frac")  # (grid_tech)
    clean_twh = (energy_twh * clean).sum(["grid_tech", "timeslice"])
    load_twh = ((draw + other) * (hours / GWH_PER_TWH)).sum("timeslice")
    standard = data.array("clean_standard_frac")  # (year, region)
    am.add_constraints(  # the check reports the standard the fixed fleet meets
        "clean_standard",
        clean_twh - load_twh * standard.fillna(0.0),
        ">=",
        0.0,
        mask=standard.notnull() & system & (not data.checking),
    )

    emissions = (energy_twh * data.array("fleet_emissions_tco2_per_mwh")).sum(
        ["grid_tech", "timeslice"]
    )
    am.add_expression("system_emissions_mtco2", emissions)
    variable = data.array("fleet_variable_cost_usd_per_mwh")  # fuel + VOM
    am.add_cost("system_fuel", (energy_twh * variable).sum(["grid_tech", "timeslice"]))
    am.add_cost("system_carbon", emissions * data.array("system_carbon_price_usd_per_tco2"))
    built = am.pyomo(m.fleet_new_gw, YRG, yrg)
    lives = data.array("fleet_life_yr")
    am.add_cost(
        "system_capex",
        annuity_cost(data, built, data.array("fleet_capex_usd_per_kw").fillna(0.0), lives).sum(
            "grid_tech"
        ),
    )
    am.add_cost("system_fom", (capacity * data.array("fleet_fom_usd_per_kw_yr")).sum("grid_tech"))
    short = am.pyomo(m.system_capacity_short_gw, ("year", "region"), data.coords_of(*YRT[:2]))
    am.add_cost("system_shortfall", short * float(data.ds["capacity_shortfall_usd_per_kw_yr"]))
    voll = float(data.ds["value_of_lost_load_usd_per_mwh"])
    am.add_cost("system_shed", (shed * (hours / GWH_PER_TWH) * voll).sum("timeslice"))


SYSTEM_COMPONENTS = (
    "system_fuel",
    "system_carbon",
    "system_capex",
    "system_fom",
    "system_shed",
    "system_shortfall",
)
"""Cost components of the regional system (not the data centres' costs)."""
