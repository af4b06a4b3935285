/**
 * The house as one heat balance: what the central A/C and the gas furnace's blower draw.
 *
 * Heat flowing into the house, kW (thermal):
 *   gain = UA × (T_solAir − T_indoor) + internal gains + occupants' gains − open windows
 * where T_solAir is the outdoor temperature plus the sun's heat on roof, walls and windows expressed
 * as °C of outdoor temperature, both seen through the envelope's lag (weather.ts THERMAL_LAG_H).
 * The indoor temperature is one thermal mass (1R1C) that floats between the heating and cooling
 * setpoints; what would push it above the cooling setpoint the A/C removes, drawing heat ÷ COP (at
 * most its rated power); below the heating setpoint a gas furnace adds heat and its blower runs in
 * proportion. A hotter day always costs at least as much A/C energy in every interval (the indoor
 * temperature can only be higher, the COP only lower).
 *
 * Sizing check (how UA and the solar gain were chosen): a 1,800 ft² California single-family home
 * built to Title 24 prescriptive levels (walls R-13 ≈ 0.5 W/m²K × 150 m² = 75 W/K; ceiling R-30 ≈
 * 0.19 W/m²K × 167 m² = 32 W/K; windows U ≈ 2.8 W/m²K × 25 m² = 70 W/K; infiltration 0.5 ACH ×
 * 410 m³ × 0.33 Wh/m³K = 68 W/K) has UA ≈ 0.25 kW/K. At design conditions (38 °C outdoor, 24 °C
 * indoor, full sun) it takes 0.25 × 14 = 3.5 kW through the envelope, about 3.5 kW of sun (roof,
 * walls, 25 m² of windows at SHGC 0.4) and about 1 kW of internal gains: 8 kW delivered, which
 * with 20 % duct losses is the 10.5 kW of a 3-ton unit running flat out — the "central A/C
 * (3 ton), 3–4 kW while running" of REFERENCE-DATA.md (10.5 kW ÷ 3.5 kW: COP 3.0 at 35 °C).
 */

/** Envelope heat-loss coefficient of the reference home (loadScale 1), kW per °C (see the sizing check above). */
export const HOUSE_UA_KW_PER_C = 0.25;
/**
 * The sun's heat on the envelope as °C of extra outdoor temperature per kW/m² of global horizontal
 * irradiance: about 3.5 kW of solar gain at 900 W/m² on a 0.25 kW/°C house (sizing check) is
 * 14 °C at 900 W/m², i.e. 15.5 °C per kW/m².
 */
export const SOLAR_GAIN_C_PER_KW_M2 = 15.5;
/**
 * Heat stored in the house per °C of indoor temperature (air, drywall, furniture, slab), kWh/°C, for
 * the reference home: an assumed time constant C/UA of 16 h for a light wood-frame house (grey-box
 * RC fits to metered homes mostly land between about 10 and 40 h). With it a July afternoon's heat
 * reaches the A/C in the evening, and a mild spring day's sun is absorbed without cooling.
 */
export const HOUSE_CAPACITY_KWH_PER_C = 16 * HOUSE_UA_KW_PER_C;
/** Sensible heat of one person at home, kW (ASHRAE Fundamentals: about 70 W seated or lightly active). */
export const OCCUPANT_GAIN_KW = 0.07;
/**
 * A/C coefficient of performance at 35 °C outdoor, as delivered to the rooms: a 3-ton unit (10.5 kW
 * of cooling) drawing 3.5 kW has COP 3.0 (EER 10.3); ducts in a hot attic lose about 20 % of it
 * (CEC Title 24 residential compliance manual: duct losses 15–30 % in unconditioned attics).
 */
export const AC_COP_AT_35C = 3.0 * 0.8;
/** COP rises as the outdoor air cools: about 2.5 %/°C (EER at 95 °F against SEER-rated part conditions near 82 °F: +18 % over 7 °C). */
const AC_COP_PER_C = 0.025;
/** The COP gain stops at this outdoor temperature, °C. */
const AC_COP_FLOOR_C = 20;
/**
 * Cooling setback while nobody is home, °C, averaged over homes: ENERGY STAR suggests +7 °F (4 °C)
 * away, but only 12 % of US homes with central A/C actually run a programmed schedule (EIA RECS
 * 2015), so most homes hold one setting; the mean setback is taken as 1.5 °C.
 */
export const AC_SETBACK_C = 1.5;

/**
 * Open windows: while it is warm inside (above the middle of the comfort band) and cooler outside,
 * occupants at home let the outdoor air in instead of running the A/C (as the natural-ventilation
 * assumption of Title 24's residential compliance model does). About 2.5 air changes an hour through open windows in a 410 m³ house:
 * 2.5 × 410 m³ × 0.33 Wh/m³K ≈ 0.35 kW/°C, averaged over homes that do and homes that keep them shut.
 */
export const WINDOW_VENT_KW_PER_C = 0.35;

/** Heating setpoint while someone is home and awake, °C (68 °F, the usual winter setting; DOE/ENERGY STAR). */
export const HEAT_SETPOINT_C = 20;
/** Heating setback at night and while nobody is home, °C (ENERGY STAR: 8 °F away, a few °F asleep; mean over homes). */
export const HEAT_SETBACK_C = 3;
/**
 * Gas furnace output and blower: a typical 60,000 Btu/h furnace at 80 % AFUE delivers 14 kW; its
 * blower (PSC motor) and inducer draw about 0.5 kW while it fires (DOE furnace-fan rulemaking, 2014:
 * PSC blowers 400–600 W in heating mode). Homes are modelled with gas heat: PG&E's basic (not
 * all-electric) baseline allowance assumes it.
 */
export const FURNACE_OUTPUT_KW = 14;
export const FURNACE_FAN_KW = 0.5;

/** Heat flowing into the house, kW thermal (negative = the house loses heat), at indoor temperature `indoorC`. */
export function heatGainKw(uaKwPerC: number, solAirC: number, indoorC: number, internalKw: number): number {
  return uaKwPerC * (solAirC - indoorC) + internalKw;
}

/** The A/C's COP at an outdoor temperature. */
export function acCop(outdoorC: number): number {
  const t = outdoorC < AC_COP_FLOOR_C ? AC_COP_FLOOR_C : outdoorC;
  return AC_COP_AT_35C * (1 + AC_COP_PER_C * (35 - t));
}

/** One home's house: envelope, heat capacity and A/C rating. */
export interface House {
  uaKwPerC: number;
  capacityKwhPerC: number;
  /** A/C electric power while running, kW (0 = no A/C) */
  acKw: number;
}

/** Where `stepHouse` writes one interval's result: A/C electric kWh, furnace-blower kWh, the indoor temperature at the end, °C. */
export type HouseStep = Float64Array;
export const STEP_AC_KWH = 0;
export const STEP_FAN_KWH = 1;
export const STEP_INDOOR_C = 2;

/**
 * One interval of the house as a single thermal mass (1R1C): the indoor temperature drifts with the
 * heat flowing in (envelope, sun, internal gains, open windows when the air outside is cooler) and
 * floats freely between the heating and the cooling setpoint; above the cooling setpoint the A/C
 * removes the excess (at most its capacity, rated power × COP), below the heating setpoint the
 * furnace adds heat and its blower runs in proportion. `ventShare` (0..1) is the share of the
 * occupants at home to open the windows. Writes into `out` (no allocation in the inner loop).
 */
export function stepHouse(
  house: House,
  indoorC: number,
  solAirC: number,
  outdoorC: number,
  internalKw: number,
  ventShare: number,
  coolSetC: number,
  heatSetC: number,
  dtH: number,
  out: HouseStep,
): void {
  let gainKw = heatGainKw(house.uaKwPerC, solAirC, indoorC, internalKw);
  // open windows cool the house toward the outdoor air, but only while it is warm inside: never below
  // the middle of the comfort band (continuous in both temperatures, so a warmer day is never cooler inside)
  const ventC = Math.min(indoorC - outdoorC, indoorC - 0.5 * (heatSetC + coolSetC));
  if (ventC > 0) gainKw -= WINDOW_VENT_KW_PER_C * ventShare * ventC;
  const free = indoorC + (gainKw * dtH) / house.capacityKwhPerC;
  let acKwh = 0;
  let fanKwh = 0;
  let next = free;
  if (free > coolSetC && house.acKw > 0) {
    const cop = acCop(outdoorC);
    const removeKwh = Math.min((free - coolSetC) * house.capacityKwhPerC, house.acKw * cop * dtH);
    acKwh = removeKwh / cop;
    next = free - removeKwh / house.capacityKwhPerC;
  } else if (free < heatSetC) {
    const addKwh = Math.min((heatSetC - free) * house.capacityKwhPerC, FURNACE_OUTPUT_KW * dtH);
    fanKwh = (FURNACE_FAN_KW * addKwh) / FURNACE_OUTPUT_KW;
    next = free + addKwh / house.capacityKwhPerC;
  }
  out[STEP_AC_KWH] = acKwh;
  out[STEP_FAN_KWH] = fanKwh;
  out[STEP_INDOOR_C] = next;
}
