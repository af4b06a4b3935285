import { exportSchedule, programExportSchedule, type ExportProgramName, type ExportSchedule } from './export.ts';
import { lowIncomePlan, type LowIncomeProgram } from './low-income.ts';
import { getTariff } from './plans.ts';
import type { TariffConfig, TariffId, TariffPlan } from './types.ts';

/** The plan Net Billing Tariff (solar) customers take: PG&E requires E-ELEC of them since April 2023. */
const NBT_PLAN: TariffId = 'E-ELEC';

/**
 * Each home's PG&E plan and export credit as an index into `plans` and `exports` (parallel: a plan
 * appears once per export credit its homes earn). The configured plan with the configured export
 * compensation is always entry 0.
 */
export interface TariffAssignment {
  plans: TariffPlan[];
  exports: ExportSchedule[];
  planOfHome: Uint8Array;
}

/** What the assignment needs of a home: PV, and its export program and low-income status when known. */
export interface TariffHome {
  hasPv: boolean;
  /** nem2 or an NBT vintage (null or absent: the configured exportCompensation) */
  exportProgram?: ExportProgramName | null;
  /** CARE or FERA: discounted energy charges (lowIncomePlan) and the low-income ACC Plus */
  lowIncome?: LowIncomeProgram;
}

/**
 * Each home's PG&E plan and export credit. Under `nbt`, Net Billing Tariff homes (and PV homes of
 * no stated program) take E-ELEC (NBT customers must), legacy net-metering (nem2) homes and homes
 * without PV the configured plan; under `uniform`, every home the configured plan. A home with a
 * program earns its program's credit (`programExportSchedule`); any other home the configured
 * `exportCompensation`; `exportCompensation: none` pays no export at all.
 */
export function tariffsFor(config: Pick<TariffConfig, 'plan' | 'assignment'> & Partial<Pick<TariffConfig, 'exportCompensation'>>, homes: readonly TariffHome[]): TariffAssignment {
  const out: TariffAssignment = { plans: [], exports: [], planOfHome: new Uint8Array(homes.length) };
  const base = exportSchedule(config.exportCompensation ?? 'nbt26');
  entryFor(out, getTariff(config.plan), base);
  const discounted = new Map<string, TariffPlan>();
  for (let h = 0; h < homes.length; h++) {
    const home = homes[h];
    const program = home.exportProgram ?? null;
    const nbt = home.hasPv && program !== 'nem2';
    const plan = planFor(config.assignment === 'nbt' && nbt ? getTariff(NBT_PLAN) : getTariff(config.plan), home.lowIncome ?? 'none', discounted);
    out.planOfHome[h] = entryFor(out, plan, creditOf(config, program, plan, (home.lowIncome ?? 'none') !== 'none', base));
  }
  return out;
}

/** Home h moved to `plan` (a metadata file naming its plan), keeping its program's credit on the new plan. */
export function reassignPlan(config: Pick<TariffConfig, 'exportCompensation'>, a: TariffAssignment, h: number, plan: TariffPlan, home: TariffHome): void {
  const own = planFor(plan, home.lowIncome ?? 'none', new Map(a.plans.map((p) => [keyOf(p), p])));
  a.planOfHome[h] = entryFor(a, own, creditOf(config, home.exportProgram ?? null, own, (home.lowIncome ?? 'none') !== 'none', exportSchedule(config.exportCompensation)));
}

/** The plan as a home of `program` pays it, one object per (plan, programme) within an assignment. */
function planFor(plan: TariffPlan, program: LowIncomeProgram, made: Map<string, TariffPlan>): TariffPlan {
  if (program === 'none') return plan;
  const key = `${plan.id}|${program}`;
  let p = made.get(key);
  if (!p) {
    p = lowIncomePlan(plan, program);
    made.set(key, p);
  }
  return p;
}

const keyOf = (p: TariffPlan) => `${p.id}|${/\((CARE|FERA)\)$/.exec(p.name)?.[1]?.toLowerCase() ?? 'none'}`;

function creditOf(config: Partial<Pick<TariffConfig, 'exportCompensation'>>, program: ExportProgramName | null, plan: TariffPlan, lowIncome: boolean, base: ExportSchedule): ExportSchedule {
  if (config.exportCompensation === 'none' || program === null) return base;
  return programExportSchedule(program, plan, lowIncome);
}

/** The index of (plan, credit) in the assignment, added when new (a credit is identified by its program, vintage and plan). */
function entryFor(a: TariffAssignment, plan: TariffPlan, credit: ExportSchedule): number {
  const i = a.plans.findIndex((p, k) => p === plan && a.exports[k].compensation === credit.compensation && sameCredit(a.exports[k], credit));
  if (i >= 0) return i;
  a.plans.push(plan);
  a.exports.push(credit);
  return a.plans.length - 1;
}

/** Two schedules of one program credit the same when they are the same object or price the same year's first hour alike (low-income ACC Plus differs). */
function sameCredit(x: ExportSchedule, y: ExportSchedule): boolean {
  if (x === y) return true;
  const t = { year: 2026, month: 1, day: 5, hour: 12, minute: 0, weekday: 1 };
  return x.usdPerKwhAt(t) === y.usdPerKwhAt(t);
}
