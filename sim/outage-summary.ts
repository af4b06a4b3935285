/**
 * summary.json's `outage` section: how the islanded community fared while the grid was down
 * (unserved energy, hours with critical load fully served, the worst-off home) and what P2P was
 * worth then (the same homes islanded without P2P: the battery-only rerun). Pure.
 */
import type { OutageRun, OutageSummary } from './contract.ts';
import type { OutageTotals, RunMeta } from './engine/index.ts';

export const ISLAND_ASSUMPTION =
  'while the grid is down the homes’ inverters and the neighbourhood’s lines form an islanded microgrid: no grid import or export; homes trade only with each other; the central agent allocates critical load first, then deferrable load, the same share of unmet need for every home when short; from the notice on every battery charges toward 100 % of its usable capacity (Storm Watch), and while the grid is down its backup reserve is there to be used (floor 0)';

/**
 * What sharing while de-energised takes in reality: without it each home is on its own behind its
 * backup gateway (the battery-only figures).
 */
export const MICROGRID_ASSUMPTION =
  'sharing energy while PG&E’s lines are de-energised assumes a utility-sanctioned community microgrid behind one point of isolation from PG&E’s grid, with a backup gateway (islanding switch) at every home; without one, Rule 21 anti-islanding requires every inverter to stop feeding the lines when the grid is down, so each home is on its own (the battery-only figures). Such microgrids need a utility tariff and agreement: CPUC Microgrid Incentive Program, D.23-04-034';

export const CRITICAL_LOAD_DEFINITION =
  'refrigerator, lighting and the always-on plug baseline (networking, standby, a medical device); the rest (A/C, furnace fan, water heater, EV, cooking, laundry, active plug loads) is deferrable and may be shed';

type Home = OutageSummary['households'][number];

/** The outage section, or undefined when no outage is configured. */
export function outageSummaryOf(
  meta: RunMeta,
  totals: OutageTotals,
  batteryOnly: OutageTotals | null,
  optimum: { kwh: number; criticalKwh: number; valueUsd: number; costUsd: number } | null,
  adjustedCostUsd: number,
): OutageSummary | undefined {
  const grid = meta.config.grid;
  if (grid.outages.length === 0) return undefined;
  const hours = meta.intervalHours;
  const homes: Home[] = meta.households.map((hh, h) => ({
    id: hh.id,
    demand_kwh: totals.demandKwh[h],
    critical_demand_kwh: totals.criticalDemandKwh[h],
    unserved_kwh: totals.unservedKwh[h],
    unserved_critical_kwh: totals.unservedCriticalKwh[h],
    hours_critical_fully_served: totals.criticalServedIntervals[h] * hours,
    stored_energy_at_start_kwh: totals.socAtStartKwh[h],
    p2p_bought_kwh: totals.boughtKwh[h],
    curtailed_pv_kwh: totals.curtailedKwh[h],
  }));
  const run = runOf(meta, totals);
  const without = batteryOnly && meta.marketEnabled ? runOf(meta, batteryOnly) : null;
  return {
    assumption: ISLAND_ASSUMPTION,
    microgrid_assumption: MICROGRID_ASSUMPTION,
    critical_load: CRITICAL_LOAD_DEFINITION,
    outages: grid.outages.map((o) => ({ start: o.start, hours: o.hours, notice_hours: o.noticeHours })),
    hours_down: totals.intervals * hours,
    voll_usd_per_kwh: grid.vollUsdPerKwh,
    critical_voll_usd_per_kwh: grid.criticalVollUsdPerKwh,
    community: {
      ...run,
      demand_kwh: sum(totals.demandKwh),
      critical_demand_kwh: sum(totals.criticalDemandKwh),
      stored_energy_at_start_kwh: sum(totals.socAtStartKwh),
      p2p_delivered_kwh: sum(totals.boughtKwh),
      curtailed_pv_kwh: sum(totals.curtailedKwh),
      cost_with_lost_load_usd: adjustedCostUsd + run.unserved_value_usd,
    },
    households: homes,
    without_p2p: without,
    optimum: optimum
      ? {
          unserved_kwh: optimum.kwh,
          unserved_critical_kwh: optimum.criticalKwh,
          unserved_value_usd: optimum.valueUsd,
          cost_with_lost_load_usd: optimum.costUsd + optimum.valueUsd,
        }
      : null,
    p2p_value: without
      ? {
          unserved_kwh_avoided: without.unserved_kwh - run.unserved_kwh,
          unserved_critical_kwh_avoided: without.unserved_critical_kwh - run.unserved_critical_kwh,
          value_usd: without.unserved_value_usd - run.unserved_value_usd,
        }
      : null,
  };
}

function runOf(meta: RunMeta, t: OutageTotals): OutageRun {
  const grid = meta.config.grid;
  const unserved = sum(t.unservedKwh);
  const critical = sum(t.unservedCriticalKwh);
  return {
    unserved_kwh: unserved,
    unserved_critical_kwh: critical,
    unserved_value_usd: (unserved - critical) * grid.vollUsdPerKwh + critical * grid.criticalVollUsdPerKwh,
    hours_critical_fully_served: t.communityCriticalServedIntervals * meta.intervalHours,
    worst_off: worstOff(meta, t),
  };
}

/** The home with the most unserved critical load, then the most unserved load (first by index on ties); null without homes. */
function worstOff(meta: RunMeta, t: OutageTotals): OutageRun['worst_off'] {
  let worst = -1;
  for (let h = 0; h < meta.households.length; h++) {
    if (worst < 0) worst = h;
    else if (t.unservedCriticalKwh[h] > t.unservedCriticalKwh[worst] + 1e-9) worst = h;
    else if (Math.abs(t.unservedCriticalKwh[h] - t.unservedCriticalKwh[worst]) <= 1e-9 && t.unservedKwh[h] > t.unservedKwh[worst] + 1e-9) worst = h;
  }
  if (worst < 0) return null;
  return {
    id: meta.households[worst].id,
    demand_kwh: t.demandKwh[worst],
    critical_demand_kwh: t.criticalDemandKwh[worst],
    unserved_kwh: t.unservedKwh[worst],
    unserved_critical_kwh: t.unservedCriticalKwh[worst],
    hours_critical_fully_served: t.criticalServedIntervals[worst] * meta.intervalHours,
  };
}

const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0);
