"""The names a scenario may use, from the input tables, for ``docs/scenario-reference.md``."""

from __future__ import annotations

from energymodel.data.tables import Inputs


def inputs_section(inputs: Inputs) -> list[str]:
    """Regions, trajectories, technologies and generations a scenario may name."""
    regions = inputs.regions
    cols = [
        ("existing_it_capacity_gw", "existing IT (GW)"),
        ("max_new_connection_gw_per_yr", "new connection (GW/yr)"),
        ("connection_ceiling_gw", "connection ceiling (GW)"),
        ("grid_price_usd_per_mwh", "grid price ($/MWh)"),
        ("pue_ratio", "PUE"),
    ]
    cols = [(c, label) for c, label in cols if c in regions.columns]
    lines = [
        "## Names from the inputs",
        "",
        "### Regions (`regions`, and the keys of per-region mappings)",
        "",
        "| region | " + " | ".join(label for _, label in cols) + " |",
        "|:---|" + "---:|" * len(cols),
    ]
    for region, row in regions.iterrows():
        lines.append(f"| `{region}` | " + " | ".join(f"{row[c]:,.4g}" for c, _ in cols) + " |")
    demand = inputs.demand
    lines += [
        "",
        "### Demand trajectories (`demand.trajectory`)",
        "",
        "| trajectory | unit | regions | years |",
        "|:---|:---|:---|:---|",
    ]
    for name, rows in demand.groupby("trajectory", sort=False):
        regions_of = ", ".join(dict.fromkeys(str(r) for r in rows["region"]))
        years = f"{int(rows['year'].min())}-{int(rows['year'].max())}"
        lines.append(f"| `{name}` | {rows['unit'].iloc[0]} | {regions_of} | {years} |")
    techs = list(dict.fromkeys(str(t) for t in inputs.technologies["tech"]))
    lines += ["", "### Technologies (`supply.techs`, per-technology mappings)", ""]
    lines.append(", ".join(f"`{t}`" for t in techs))
    if len(inputs.accelerators):
        lines += ["", "### Accelerator generations (`hardware.accelerators`)", ""]
        first = inputs.accelerators.get("available_from_year")
        lines.append(
            ", ".join(
                f"`{g}`" + ("" if first is None else f" (from {int(first[g])})")
                for g in inputs.accelerators.index
            )
        )
    return lines
