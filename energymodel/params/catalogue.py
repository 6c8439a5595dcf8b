"""Every LP parameter: its units and long name (``docs/contracts.md``, "params/").

:func:`~energymodel.params.build_params` sets exactly these, and attaches the units.
"""

from __future__ import annotations

# name -> (units, long name) for every parameter; `build_params` checks it set them all
UNITS: dict[str, tuple[str, str]] = {
    "year_weight_yr": ("yr", "calendar years each model year stands for"),
    "discount_factor_ratio": ("1", "discount factor to the first model year"),
    "timeslice_weight_h": ("h", "hours of the year each timeslice stands for"),
    "day_of_year_rep": ("1", "the representative day each calendar day of the year follows"),
    "link_storage_flag": ("1", "1: storage state of charge carried across days in order"),
    "demand_it_twh": (
        "TWh",
        "IT energy demanded (inference held as tokens: at the reference tokens per kWh)",
    ),
    "demand_tokens_tn": ("trillion tokens", "inference tokens demanded (reference quantity)"),
    "demand_elasticity": ("1", "price elasticity of token demand (0: fixed demand)"),
    "inference_shape_ratio": ("1", "inference load in the timeslice / its yearly mean"),
    "flexible_frac": ("1", "share of a workload's load that may move within its day"),
    "training_allowed_frac": ("1", "1 where training may run"),
    "pue_ratio": ("1", "power usage effectiveness"),
    "max_draw_frac": ("1", "highest share of nameplate IT power drawn in an hour"),
    "avg_utilisation_frac": ("1", "yearly IT energy / (nameplate IT power x 8,760 h), at most"),
    "it_capex_usd_per_kw": ("USD/kW", "IT capex (accelerators, servers, network) per kW IT"),
    "facility_capex_usd_per_kw": ("USD/kW", "facility capex (shell, power, cooling) per kW IT"),
    "it_fom_frac_per_yr": ("1/yr", "IT maintenance, share of IT capex a year"),
    "facility_fom_usd_per_kw_yr": ("USD/kW/yr", "facility fixed O&M"),
    "it_life_yr": ("yr", "IT (accelerator) life"),
    "facility_life_yr": ("yr", "facility life"),
    "it_max_build_gw_per_yr": (
        "GW/yr",
        "IT capacity deliverable a year to the modelled regions (world-wide x world_share_frac)",
    ),
    "world_share_frac": (
        "1",
        "the modelled regions' share of world demand: the share of world-wide limits they get",
    ),
    "existing_it_capacity_gw": ("GW", "IT capacity in service before the first year, still alive"),
    "committed_it_new_gw": ("GW", "announced IT capacity that must be built in the year"),
    "tokens_per_kwh": ("tokens/kWh", "tokens served per kWh of IT energy, by model class"),
    "inference_mix_frac": ("1", "share of inference IT energy by model class"),
    "capex_usd_per_kw": ("USD/kW", "overnight capex of a power technology"),
    "fom_usd_per_kw_yr": ("USD/kW/yr", "fixed O&M of a power technology"),
    "vom_usd_per_mwh": ("USD/MWh", "variable O&M"),
    "fuel_usd_per_mwh": ("USD/MWh", "fuel cost per MWh of electricity"),
    "emissions_tco2_per_mwh": ("tCO2/MWh", "emissions per MWh of electricity"),
    "life_yr": ("yr", "technology life"),
    "firm_credit_frac": ("1", "share of capacity counted as firm (storage: x duration / hours)"),
    "clean_frac": ("1", "1 for carbon-free generation"),
    "roundtrip_efficiency_frac": ("1", "storage round-trip efficiency"),
    "duration_h": ("h", "storage hours at full power (0: not storage)"),
    "max_build_gw_per_yr": (
        "GW/yr",
        "build limit of a technology in the modelled regions (world-wide x world_share_frac)",
    ),
    "build_allowed_frac": ("1", "1 from the year a technology can first be built"),
    "lead_time_yr": ("yr", "years from order to service (orders from the first model year)"),
    "availability_frac": ("1", "share of capacity available in the timeslice"),
    "grid_price_usd_per_mwh": ("USD/MWh", "grid energy price"),
    "grid_carbon_tco2_per_mwh": ("tCO2/MWh", "average grid carbon intensity in the timeslice"),
    "grid_clean_frac": ("1", "carbon-free share of grid energy in the timeslice"),
    "existing_connection_gw": ("GW", "grid connection serving AI data centres at the start"),
    "connection_ceiling_gw": ("GW", "total grid connection available in the year"),
    "connection_capex_usd_per_kw": ("USD/kW", "cost of new grid connection"),
    "max_new_connection_gw_per_yr": ("GW/yr", "new connection utilities can deliver a year"),
    "carbon_price_usd_per_tco2": ("USD/tCO2", "carbon price"),
    "emissions_cap_mtco2": (
        "MtCO2",
        "emissions cap of the modelled regions (world-wide x world_share_frac; NaN: none)",
    ),
    "annual_clean_share_frac": ("1", "annual clean-energy matching share (NaN: none)"),
    "hourly_clean_share_frac": ("1", "hourly (24/7) clean-energy share (NaN: none)"),
    "unserved_penalty_usd_per_mwh": ("USD/MWh", "value of lost compute per MWh of IT energy"),
    "storage_firm_hours": ("h", "hours storage must sustain output to count in full as firm"),
    "reserve_margin_frac": ("1", "firm capacity margin over peak facility load"),
    "connection_on_nameplate_flag": ("1", "1: grid connections contracted on IT nameplate x PUE"),
    "flexible_connection_frac": ("1", "largest non-firm share of a connection offered"),
    "curtailment_budget_frac": (
        "1",
        "most a flexible connection is curtailed, share of its full-load energy",
    ),
    "islanded_redundancy_frac": (
        "1",
        "firm on-site capacity of an islanded campus beyond its peak (NaN: no islanding)",
    ),
    "wacc_frac": ("1/yr", "cost of capital"),
    "price_usd_per_mtok": ("USD/Mtok", "market price per million tokens"),
    "revenue_musd": ("M$", "explicit AI revenue (NaN: tokens x price)"),
    "capex_to_revenue_frac": ("1", "sustainable capex / revenue"),
    "target_margin_frac": ("1", "margin on cost in the break-even revenue"),
    "it_kw_per_gpu": ("kW", "IT power per accelerator, server level"),
}

OPTIONAL_UNITS: dict[str, tuple[str, str]] = {
    # headroom for flexible load (grid.headroom_budgets_frac): dim curtailment_budget
    "headroom_gw": ("GW", "flat new load the system absorbs within the curtailment budget"),
    "headroom_curtailed_hours_h": ("h", "hours curtailed at the headroom"),
    "headroom_events": ("1", "curtailment events (runs of consecutive hours) at the headroom"),
    "headroom_event_mean_h": ("h", "mean length of a curtailment event at the headroom"),
    "headroom_event_max_h": ("h", "longest curtailment event at the headroom"),
    # the full-year dispatch check (energymodel/api.py): capacities fixed, load may go unserved
    "dispatch_check_flag": ("1", "1: dispatch only, every yearly decision fixed (the check)"),
    # elastic demand (demand.elasticity > 0 in some year): dim demand_step
    "demand_step_twh": ("TWh", "width of a willingness-to-pay step, reference IT energy"),
    "demand_step_value_usd_per_mwh": (
        "USD/MWh",
        "mean willingness to pay over the step, per MWh of reference IT energy",
    ),
    "demand_step_direction": ("1", "+1: tokens beyond the reference quantity; -1: given up"),
    # accelerator generations (hardware.accelerators): dim accelerator
    "accelerator_capex_usd_per_kw": ("USD/kW", "compute capex of a generation per kW of IT"),
    "accelerator_life_yr": ("yr", "life of a generation"),
    "accelerator_allowed_frac": ("1", "1 from the year a generation can be bought"),
    "accelerator_tokens_per_kwh": ("tokens/kWh", "tokens per kWh of IT energy of a generation"),
    "accelerator_output_ratio": (
        "1",
        "reference IT energy served per unit of the generation's IT energy",
    ),
    "accelerator_existing_frac": ("1", "1 for the generation of the fleet in service at start"),
    "accelerator_kw_per_gpu": ("kW", "IT power per accelerator of a generation"),
    # the grid as a system (grid.mode: system in some region): dim grid_tech
    "system_region_frac": ("1", "1 where the region's grid runs as a power system"),
    "other_load_gw": ("GW", "other (non-data-centre) load in the timeslice"),
    "other_peak_gw": ("GW", "peak of the other load over the full measured year"),
    "fleet_existing_gw": ("GW", "existing grid-side capacity after announced retirements"),
    "fleet_capex_usd_per_kw": ("USD/kW", "overnight cost of new grid-side plant (NaN: none)"),
    "fleet_fom_usd_per_kw_yr": ("USD/kW/yr", "fixed O&M of grid-side plant"),
    "fleet_build_allowed_frac": ("1", "1 from the year new grid-side plant can be ready"),
    "fleet_max_build_gw_per_yr": ("GW/yr", "new grid-side plant a region can build a year"),
    "fleet_variable_cost_usd_per_mwh": ("USD/MWh", "fuel and variable O&M of grid plant"),
    "fleet_emissions_tco2_per_mwh": ("tCO2/MWh", "direct CO2 of grid plant"),
    "fleet_availability_frac": ("1", "hourly availability of grid plant"),
    "fleet_accreditation_frac": ("1", "accredited share of capacity (ELCC class rating)"),
    "fleet_clean_frac": ("1", "1 for carbon-free grid plant"),
    "fleet_energy_budget_frac": ("1", "yearly energy / (capacity x 8,760 h) (hydro)"),
    "fleet_duration_h": ("h", "storage energy / power (0: a generator)"),
    "fleet_roundtrip_efficiency_frac": ("1", "round-trip efficiency of grid storage"),
    "fleet_life_yr": ("yr", "economic life of new grid-side plant"),
    "system_reserve_margin_frac": ("1", "planning (installed) reserve margin of the system"),
    "system_requirement_ratio": (
        "1",
        "accredited capacity required per GW of peak: (1 + margin) x the pool's accreditation",
    ),
    "system_carbon_price_usd_per_tco2": ("USD/tCO2", "carbon price paid by the grid's fleet"),
    "clean_standard_frac": ("1", "clean-energy standard of the system (NaN: none)"),
    "network_adder_usd_per_mwh": ("USD/MWh", "network charges data centres pay per MWh"),
    "value_of_lost_load_usd_per_mwh": ("USD/MWh", "price of other load shed"),
    "capacity_shortfall_usd_per_kw_yr": ("USD/kW/yr", "price of accredited capacity short"),
}
"""Parameters set only when a scenario uses the feature (elastic demand, generations, a
``system`` grid)."""
