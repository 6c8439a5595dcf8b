"""Build ``grid_system.csv``: the power system around the data centres in ``system`` mode.

Four regions: ``us_east`` = PJM (zone US-MIDA-PJM), ``us_texas`` = ERCOT (US-TEX-ERCO),
``us_west`` = CAISO + BPA (US-CAL-CISO + US-NW-BPAT, pooled like the hourly profiles) and
``europe`` = the EU-27 as one aggregate. Every row is ``region, grid_tech, year,
parameter, value, unit, source`` (a blank year holds in every year, several years
interpolate linearly); ``grid_tech`` ``system`` holds the region-wide parameters.

Computed from the raw folder (readers in :mod:`.grid_raw`): ``existing_gw`` (EIA-860M
for the US as net summer capacity, powerplantmatching for the EU conventional fleet and
its announced coal closures), hydro ``energy_budget_frac`` (measured hydro energy /
capacity), ``other_load_twh`` (measured demand x curated growth), European heat rates
(plant efficiencies), emissions (EPA factors x heat rate), and grid-side capex and fixed
O&M (the ``technologies.csv`` rows of the same plant class). Everything else
is hand-curated in ``curated/grid_system.csv`` with its source; curated rows with a blank
region hold in all four regions, and helper parameters (gas CC share, retirements,
growth rates, ...) feed the computation without being written.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from energymodel.data.build.constants import MMBTU_PER_MWH
from energymodel.data.build.grid_raw import (
    BASE_DATE,
    DEMAND_BA,
    DEMAND_YEAR,
    EIA860M,
    EU_LOAD,
    PPM,
    eu_plants,
    read_demand,
    read_eu,
    us_fleet,
)
from energymodel.data.build.regions_map import GRID_BAS
from energymodel.data.build.tables import curated_rows
from energymodel.data.manifest_grid import GRID_TECHS

SYSTEM_REGIONS = ("us_east", "us_texas", "us_west", "europe")
FOSSIL = ("coal", "gas_cc", "gas_ct", "oil")
NEW_BUILD = {  # grid_tech -> technologies.csv tech whose capex and fixed O&M it reuses
    "gas_cc": "gas_ccgt",
    "gas_ct": "gas_frame",
    "wind": "wind_onshore",
    "solar": "solar_pv",
    "storage": "battery",
    "nuclear": "nuclear",
}
YEARS = tuple(range(2025, 2031))
COLUMNS = ("region", "grid_tech", "year", "parameter", "value", "unit", "source")
UNITS = {
    "other_load_twh": "TWh",
    "reserve_margin_frac": "fraction",
    "network_adder_usd_per_mwh": "USD/MWh",
    "carbon_price_usd_per_tco2": "USD/tCO2",
    "existing_gw": "GW",
    "max_cf_frac": "fraction",
    "profile_scale_ratio": "ratio",
    "vom_usd_per_mwh": "USD/MWh",
    "accreditation_frac": "fraction",
    "clean_frac": "fraction",
    "emissions_tco2_per_mwh": "tCO2/MWh",
    "heat_rate_mmbtu_per_mwh": "MMBtu/MWh",
    "fuel_usd_per_mmbtu": "USD/MMBtu",
    "energy_budget_frac": "fraction",
    "duration_h": "h",
    "roundtrip_efficiency_frac": "fraction",
    "capex_usd_per_kw": "USD/kW",
    "fom_usd_per_kw_yr": "USD/kW/yr",
    "life_yr": "yr",
    "available_from_year": "year",
    "max_build_gw_per_yr": "GW/yr",
}

# US balancing areas (Electricity Maps zone ids; EIA-860M data) of each US system region.

Rows = list[dict[str, object]]
Curated = dict[tuple[str, str, str], list[tuple[int | None, float, str]]]
AddRow = Callable[[str, str, "int | None", str, float, str], None]
Retired = list[tuple[int, float, str]]
Fleet = dict[str, dict[str, tuple[float, str, Retired]]]


def read_curated() -> Curated:
    """Curated rows keyed by (region, grid_tech, parameter); blank regions expanded."""
    own: Curated = defaultdict(list)
    blank: Curated = defaultdict(list)
    cols = ("region", "grid_tech", "year", "parameter", "unit")
    for r in curated_rows("grid_system.csv", cols):
        year = int(str(r["year"])) if r["year"] else None
        item = (year, float(str(r["value"])), str(r["source"]))
        target = own if r["region"] else blank
        target[(str(r["region"]), str(r["grid_tech"]), str(r["parameter"]))].append(item)
    out: Curated = dict(own)
    for (_, tech, param), items in blank.items():
        for region in SYSTEM_REGIONS:
            out.setdefault((region, tech, param), items)
    return out


def _one(cur: Curated, region: str, tech: str, param: str) -> tuple[float, str]:
    (item,) = cur[(region, tech, param)]
    return item[1], item[2]


def _summer(cur: Curated, region: str, part: str, gw: float, src: str) -> tuple[float, str]:
    """Nameplate (EIA-860M) to net summer capacity, which accreditation applies to."""
    key = (region, part, "summer_rating_frac")
    if key not in cur:
        return gw, f"{src} (nameplate = net summer capacity)"
    f, f_src = _one(cur, region, part, "summer_rating_frac")
    return gw * f, f"nameplate {gw:.2f} GW ({src}) x net summer / nameplate {f:g} ({f_src})"


def build_rows(raw: Path, tech_rows: Rows, pooled: dict[str, pd.DataFrame] | None = None) -> Rows:
    """Every row of ``grid_system.csv``.

    ``tech_rows`` are the rows of ``technologies.csv`` (grid-side capex and O&M reuse
    them); ``pooled`` the cleaned EIA-930 2022 generation of the US regions (hydro energy).
    """
    cur = read_curated()
    rows: Rows = []

    def add(region: str, tech: str, year: int | None, param: str, value: float, src: str) -> None:
        rows.append(
            {
                "region": region,
                "grid_tech": tech,
                "year": "" if year is None else year,
                "parameter": param,
                "value": value,
                "unit": UNITS[param],
                "source": src,
            }
        )

    for (region, tech, param), items in sorted(cur.items()):
        if param in UNITS:
            for year, value, src in items:
                add(region, tech, year, param, value, src)

    fleet = _fleet(raw, cur)
    for region in SYSTEM_REGIONS:
        _storage(add, cur, region, fleet[region])  # pops the battery and pumped-storage parts
        for tech, (base, src, retired) in fleet[region].items():
            add(region, tech, 2025, "existing_gw", round(base, 3), src)
            for year, gone, why in retired:
                add(region, tech, year, "existing_gw", round(max(base - gone, 0.0), 3), why)
    _hydro_budget(add, raw, fleet, pooled, cur)
    _other_load(add, raw, cur)
    _heat_rates_and_emissions(add, raw, cur)
    _new_build(add, tech_rows)
    return rows


def _fleet(raw: Path, cur: Curated) -> Fleet:
    """Per region and grid tech: base GW, its source, and (year, retired GW, source)."""
    us = us_fleet(raw)
    ppm = eu_plants(raw)
    out: Fleet = {}
    for region in SYSTEM_REGIONS:
        parts: dict[str, tuple[float, str]] = {}
        if region in us:
            share, share_src = _one(cur, region, "gas", "cc_share_frac")
            parts = {p: _summer(cur, region, p, v, s) for p, (v, s) in us[region].items()}
            gas, gas_src = parts.pop("gas")
            parts["gas_cc"] = (gas * share, f"{gas_src} x CC share {share} ({share_src})")
            parts["gas_ct"] = (gas * (1 - share), f"{gas_src} x (1 - CC share {share})")
            prefix = f"{EIA860M}, end-2024 (last row on or before {BASE_DATE}): "
        else:
            by = ppm.groupby("part")["Capacity"].sum() / 1000
            parts = {p: (float(by[p]), "EU-27 units in service after 2024") for p in by.index}
            for p, key in (("wind", "wind"), ("solar", "solar"), ("battery", "battery")):
                v, s = _one(cur, region, key, "base_gw")
                parts[p] = (v, s)
            prefix = f"{PPM}: "
        out[region] = {}
        for tech in GRID_TECHS:
            if tech == "storage":
                continue
            base, src = parts.get(tech, (0.0, "none in the source"))
            src = src if src.startswith(("WindEurope", "SolarPower", "estimate")) else prefix + src
            retired = _retirements(cur, ppm, region, tech, base)
            out[region][tech] = (base, src, retired)
        for p in ("battery", "phs"):
            base, src = parts.get(p, (0.0, "none in the source"))
            src = src if src.startswith(("SolarPower", "estimate")) else prefix + src
            out[region][p] = (base, src, [])
    return out


def _retirements(cur: Curated, ppm: pd.DataFrame, region: str, tech: str, base: float) -> Retired:
    """(year, GW retired since end-2024, source) rows; a 2030 row (no change) at least."""
    if region == "europe" and tech == "coal":
        coal = ppm[ppm["part"] == "coal"]
        out = []
        for year in YEARS[1:]:
            gone = float(coal.loc[coal["DateOut"] < year, "Capacity"].sum()) / 1000
            out.append(
                (
                    year,
                    gone,
                    (
                        f"derived: {PPM} EU-27 coal and lignite {base:.1f} GW less units with an "
                        f"announced closure year (DateOut) before {year}: {gone:.1f} GW "
                        "(national coal phase-outs)"
                    ),
                )
            )
        return out
    items = cur.get((region, tech, "retired_gw"))
    if items:
        return [
            (int(y or 2030), v, f"derived: end-2024 {base:.1f} GW less retirements {v:g} GW; {s}")
            for y, v, s in items
        ]
    return [(2030, 0.0, "estimate: no announced retirements of this fleet to 2030 (held flat)")]


def _storage(
    add: AddRow, cur: Curated, region: str, fleet: dict[str, tuple[float, str, Retired]]
) -> None:
    """One store of batteries and pumped hydro: capacity, duration and efficiency."""
    bat, bat_src, _ = fleet.pop("battery")
    phs, phs_src, _ = fleet.pop("phs")
    bh, bh_src = _one(cur, region, "storage", "battery_h")
    ph, ph_src = _one(cur, region, "storage", "phs_h")
    br, br_src = _one(cur, region, "storage", "battery_rte_frac")
    pr, pr_src = _one(cur, region, "storage", "phs_rte_frac")
    total = bat + phs
    src = f"derived: batteries {bat:.2f} GW ({bat_src}) + pumped storage {phs:.2f} GW ({phs_src})"
    add(region, "storage", 2025, "existing_gw", round(total, 3), src)
    add(region, "storage", 2030, "existing_gw", round(total, 3), "estimate: no retirements to 2030")
    add(
        region,
        "storage",
        None,
        "duration_h",
        round((bat * bh + phs * ph) / total, 2),
        f"derived: capacity-weighted batteries {bh:g} h ({bh_src}) and pumped storage "
        f"{ph:g} h ({ph_src})",
    )
    add(
        region,
        "storage",
        None,
        "roundtrip_efficiency_frac",
        round((bat * br + phs * pr) / total, 3),
        f"derived: capacity-weighted batteries {br:g} ({br_src}) and pumped storage {pr:g} "
        f"({pr_src})",
    )


def _hydro_budget(
    add: AddRow,
    raw: Path,
    fleet: Fleet,
    pooled: dict[str, pd.DataFrame] | None,
    cur: Curated,
) -> None:
    """Hydro yearly energy / (capacity x 8,760 h), from measured generation."""
    from energymodel.data.build import eia930

    for region in ("us_east", "us_texas", "us_west"):
        if (region, "hydro", "energy_budget_frac") in cur:
            continue  # measured series unusable there: curated (with the reason)
        gen = (
            pooled[region]
            if pooled is not None
            else sum(eia930.read_ba(raw, b) for b in GRID_BAS[region])
        )
        twh = float(gen["WAT"].sum()) / 1e6
        cap = fleet[region]["hydro"][0]
        add(
            region,
            "hydro",
            None,
            "energy_budget_frac",
            round(min(twh / (cap * 8.76), 1.0), 3),
            f"derived: EIA-930 2022 hydro net generation of {'+'.join(GRID_BAS[region])} "
            f"{twh:.1f} TWh / ({cap:.2f} GW x 8,760 h)",
        )
    eu = read_eu(raw)
    twh = float((eu["hydro_run_of_river"] + eu["hydro_reservoir"]).sum()) / 1e6
    cap = fleet["europe"]["hydro"][0]
    add(
        "europe",
        "hydro",
        None,
        "energy_budget_frac",
        round(twh / (cap * 8.76), 3),
        f"derived: {EU_LOAD}: run-of-river + reservoir hydro {twh:.1f} TWh / ({cap:.1f} GW "
        f"x 8,760 h; {PPM})",
    )


def _other_load(add: AddRow, raw: Path, cur: Curated) -> None:
    """Non-AI-data-centre load by year: measured base x cited growth."""
    for region in SYSTEM_REGIONS:
        g, g_src = _one(cur, region, "system", "load_growth_frac_per_yr")
        if region == "europe":
            base = float(read_eu(raw)["load"].sum()) / 1e6
            base_year, hist, what = 2023, 0.0, f"{EU_LOAD}: load {base:.0f} TWh"
            extra, extra_src = 0.0, ""
        else:
            ba = DEMAND_BA[region]
            base = float(read_demand(raw, ba).sum()) / 1e6
            hist, h_src = _one(cur, region, "system", "load_growth_hist_frac_per_yr")
            base_year = 2024
            what = (
                f"EIA-930 cleaned demand of {ba} {DEMAND_YEAR} {base:.0f} TWh (Ruggles et al. "
                f"2020) x (1 {hist:+g})^{2024 - DEMAND_YEAR} to 2024 ({h_src})"
            )
            base *= (1 + hist) ** (2024 - DEMAND_YEAR)
            extra, extra_src = 0.0, ""
            if (region, "system", "extra_load_twh") in cur:
                extra, s = _one(cur, region, "system", "extra_load_twh")
                extra_src = f" + BPA {extra:g} TWh ({s})"
        for year in YEARS:
            value = (base + extra) * (1 + g) ** (year - base_year)
            add(
                region,
                "system",
                year,
                "other_load_twh",
                round(value, 1),
                f"derived: {what}{extra_src}, x (1 + {g:g})^{year - base_year} ({g_src}); "
                "includes today's conventional data centres, not the AI data centres of "
                "demand.csv",
            )


def _heat_rates_and_emissions(add: AddRow, raw: Path, cur: Curated) -> None:
    """Fossil heat rates (Europe from plant efficiencies) and EPA-based CO2 per MWh."""
    ppm = eu_plants(raw)
    for tech in FOSSIL:
        units = ppm[(ppm["part"] == tech) & ppm["Efficiency"].notna()]
        eff = float((units["Efficiency"] * units["Capacity"]).sum() / units["Capacity"].sum())
        ratio, r_src = _one(cur, "europe", tech, "hhv_per_lhv_ratio")
        eu_hr = round(MMBTU_PER_MWH / eff * ratio, 2)
        add(
            "europe",
            tech,
            None,
            "heat_rate_mmbtu_per_mwh",
            eu_hr,
            f"derived: {PPM} EU-27 capacity-weighted net efficiency {eff:.3f} (LHV) of "
            f"{units['Capacity'].sum() / 1000:.0f} GW with data: 3.412 / {eff:.3f} x HHV/LHV "
            f"{ratio:g} ({r_src})",
        )
        for region in SYSTEM_REGIONS:
            hr = (
                eu_hr
                if region == "europe"
                else _one(cur, region, tech, "heat_rate_mmbtu_per_mwh")[0]
            )
            kg, kg_src = _one(cur, region, tech, "co2_kg_per_mmbtu")
            add(
                region,
                tech,
                None,
                "emissions_tco2_per_mwh",
                round(kg / 1000 * hr, 4),
                f"derived: {kg:g} kg CO2/MMBtu ({kg_src}) x heat rate {hr:g} MMBtu/MWh",
            )


def _new_build(add: AddRow, tech_rows: Rows) -> None:
    """Grid-side capex and fixed O&M: the technologies.csv rows of the same plant class."""
    index = {
        (r["tech"], r["region"], r["parameter"], r["year"]): r
        for r in tech_rows
        if r["parameter"] in ("capex_usd_per_kw", "fom_usd_per_kw_yr")
    }
    for grid_tech, tech in NEW_BUILD.items():
        for region in SYSTEM_REGIONS:
            for param in ("capex_usd_per_kw", "fom_usd_per_kw_yr"):
                keys = [k for k in index if k[0] == tech and k[2] == param and k[1] == region]
                if not keys:
                    keys = [k for k in index if k[0] == tech and k[2] == param and k[1] == ""]
                for key in sorted(keys, key=str):
                    r = index[key]
                    value, src = float(str(r["value"])), str(r["source"])
                    year = int(str(r["year"])) if str(r["year"]) else None
                    add(
                        region,
                        grid_tech,
                        year,
                        param,
                        round(value, 1),
                        f"derived: technologies.csv {tech} {param} {src}",
                    )
