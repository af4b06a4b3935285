/**
 * The seed proposal's rule-based household: buy when it needs energy and the market price is below
 * the tariff, sell surplus (solar or stored energy it will not need) when the price beats its own
 * value of that energy, hold otherwise; charge in cheap hours, discharge in expensive ones, keep the
 * reserve. A pure function of one household's own observations and the public price signal.
 *
 * All energies are kWh per interval on the household bus unless named otherwise; "stored" means
 * energy in the cells (what the state of charge measures).
 */
import { ENERGY_EPSILON_KWH, RATE_EPSILON_USD_PER_KWH } from '../common/index.ts';
import { resetDecision, type HouseholdDecision } from './decision.ts';

export interface HouseholdTickInput {
  loadKwh: number;
  pvKwh: number;
  hasBattery: boolean;
  socKwh: number;
  minSocKwh: number;
  maxSocKwh: number;
  chargeEfficiency: number;
  dischargeEfficiency: number;
  /** bus-side limits this interval (power and state of charge) */
  maxChargeKwh: number;
  maxDischargeKwh: number;
  importUsdPerKwh: number;
  exportUsdPerKwh: number;
  /** the central agent's price signal for this interval */
  priceSignalUsdPerKwh: number;
  marketEnabled: boolean;
  transmissionLoss: number;
  /** what the home pays the utility per P2P kWh delivered to it this interval (the settlement regime) */
  p2pDeliveryUsdPerKwh: number;
  /** energy this household may still sell today (sent kWh) */
  sellAllowanceKwh: number;
  /** the cheapest import rate of the day */
  dayMinUsdPerKwh: number;
  /** is this interval inside an expensive block */
  inExpensiveBlock: boolean;
  /** highest rate of the (current or next) expensive block; dayMin when none is left today */
  blockMaxUsdPerKwh: number;
  /** forecast deficit (bus kWh) of the current/next expensive block after this interval */
  blockNeedKwh: number;
  /** forecast deficit later in the current block at a rate above this interval's */
  higherRateNeedKwh: number;
  /** forecast own PV surplus (bus kWh) between now and the next block */
  surplusBeforeBlockKwh: number;
  /** cheap intervals left before the next block, this one included */
  cheapLeft: number;
  /** what a stored kWh costs to replace: the cheapest energy this home expects to refill from (USD per bus kWh) */
  refillUsdPerKwh: number;
  /** storage mode rules (battery/storage-mode.ts): may stored energy leave the home; may the battery charge from imports */
  storedMayLeave: boolean;
  mayChargeFromImports: boolean;
  /** battery wear, USD per kWh discharged */
  wearUsdPerKwh: number;
  /** stored energy the home keeps whatever the prices (the reserve, or on the run's last day what it cannot refill before the end) */
  floorSocKwh: number;
  /** stored energy still to add before the run ends to finish with what it started (last day, after the last expensive block) */
  terminalNeedStoredKwh: number;
  /** stored energy above what it started with that its own load will not use before the run ends (last day, after the last expensive block) */
  terminalExcessStoredKwh: number;
}

/**
 * Grid charge for this interval (bus kWh) that still leaves `missingStored` covered in time: only
 * what the cheap intervals left after this one could not put in at full power; 0 when none is due.
 */
function justInTimeChargeKwh(i: HouseholdTickInput, missingStored: number, chargeRoom: number): number {
  const laterCapacityStored = Math.max(0, i.cheapLeft - 1) * i.maxChargeKwh * i.chargeEfficiency;
  const nowStored = missingStored - laterCapacityStored;
  return nowStored > ENERGY_EPSILON_KWH ? Math.min(nowStored / i.chargeEfficiency, chargeRoom) : 0;
}

/** Decides one household's interval; writes into `out` (no allocation). */
export function decideRuleBased(i: HouseholdTickInput, out: HouseholdDecision): HouseholdDecision {
  resetDecision(out);

  const roundTrip = i.chargeEfficiency * i.dischargeEfficiency;
  const deliveredShare = 1 - i.transmissionLoss;
  const net = i.loadKwh - i.pvKwh;
  const usableStoredKwh = i.hasBattery ? Math.max(0, i.socKwh - Math.max(i.minSocKwh, i.floorSocKwh)) : 0;
  const wear = i.wearUsdPerKwh;
  // stored energy the coming expensive block needs, less what own PV will put back before it
  const blockNeedStored = i.blockNeedKwh / i.dischargeEfficiency;
  const refillBeforeBlockStored = i.surplusBeforeBlockKwh * i.chargeEfficiency;
  // the worst use a stored kWh will find: the cheapest import it displaces; better if the block still needs it
  const needUnmet = usableStoredKwh + refillBeforeBlockStored < blockNeedStored - ENERGY_EPSILON_KWH;
  const storageValueUsdPerKwh = ((needUnmet ? i.blockMaxUsdPerKwh : i.dayMinUsdPerKwh) - wear) * roundTrip;

  let remainingDeficit = Math.max(0, net);
  let surplus = Math.max(0, -net);
  let chargeRoom = i.hasBattery ? i.maxChargeKwh : 0;
  let dischargeRoom = i.hasBattery ? i.maxDischargeKwh : 0;

  if (remainingDeficit > 0) {
    // Discharge when this interval's import costs more than refilling the stored kWh, keeping what
    // pricier intervals later in the block (or the next block, if no refill comes first) will need.
    if (i.hasBattery && i.importUsdPerKwh > i.refillUsdPerKwh + wear + RATE_EPSILON_USD_PER_KWH) {
      const keepStored = i.inExpensiveBlock
        ? i.higherRateNeedKwh / i.dischargeEfficiency
        : Math.max(0, blockNeedStored - refillBeforeBlockStored);
      const allowedBus = Math.max(0, usableStoredKwh - keepStored) * i.dischargeEfficiency;
      const d = Math.min(remainingDeficit, dischargeRoom, allowedBus);
      if (d > ENERGY_EPSILON_KWH) {
        out.dischargeKwh = d;
        remainingDeficit -= d;
        dischargeRoom -= d;
        chargeRoom = 0; // never charge and discharge in one interval
      }
    }
    // Buy the rest in the market when the price, grossed up for losses, is below the tariff.
    if (remainingDeficit > ENERGY_EPSILON_KWH && i.marketEnabled) {
      out.bidDeficitKwh = remainingDeficit / deliveredShare;
      out.bidLimitUsdPerKwh = (i.importUsdPerKwh - i.p2pDeliveryUsdPerKwh) * deliveredShare;
    }
  }

  if (surplus > 0 && i.hasBattery && chargeRoom > ENERGY_EPSILON_KWH) {
    // Store own surplus first when a stored kWh is worth more than the market is likely to pay.
    const expectedSaleUsdPerKwh = i.marketEnabled ? Math.max(i.priceSignalUsdPerKwh, i.exportUsdPerKwh) : i.exportUsdPerKwh;
    if (storageValueUsdPerKwh > expectedSaleUsdPerKwh) {
      const c = Math.min(surplus, chargeRoom);
      out.chargeKwh = c;
      surplus -= c;
      chargeRoom -= c;
      dischargeRoom = 0;
    }
  }

  // Just-in-time grid charging in cheap intervals for the next block's uncovered need, when the
  // round trip pays (cheap rate / round-trip efficiency below the block's rate).
  if (
    i.hasBattery &&
    i.mayChargeFromImports &&
    !i.inExpensiveBlock &&
    out.dischargeKwh === 0 &&
    chargeRoom > ENERGY_EPSILON_KWH &&
    i.importUsdPerKwh / roundTrip + wear < i.blockMaxUsdPerKwh - RATE_EPSILON_USD_PER_KWH
  ) {
    const missingStored = Math.max(0, blockNeedStored - usableStoredKwh - refillBeforeBlockStored - out.chargeKwh * i.chargeEfficiency);
    const c = justInTimeChargeKwh(i, missingStored, chargeRoom);
    if (c > 0) {
      out.chargeKwh += c;
      chargeRoom -= c;
      dischargeRoom = 0;
    }
  }

  // The run's last hours: refill what the home drew down, just in time, so it ends with what it started.
  if (i.hasBattery && i.mayChargeFromImports && !i.inExpensiveBlock && out.dischargeKwh === 0 && chargeRoom > ENERGY_EPSILON_KWH && i.terminalNeedStoredKwh > ENERGY_EPSILON_KWH) {
    const c = justInTimeChargeKwh(i, i.terminalNeedStoredKwh - out.chargeKwh * i.chargeEfficiency, chargeRoom);
    if (c > 0) {
      out.chargeKwh += c;
      chargeRoom -= c;
      dischargeRoom = 0;
    }
  }

  if (i.marketEnabled) {
    // Outside the expensive block, buy neighbours' energy for the battery when it is worth more
    // stored than it costs delivered.
    if (i.hasBattery && i.mayChargeFromImports && !i.inExpensiveBlock && out.dischargeKwh === 0 && surplus <= ENERGY_EPSILON_KWH && chargeRoom > ENERGY_EPSILON_KWH) {
      // never pay more per delivered kWh than the grid would charge right now
      const chargeLimit = (Math.min(storageValueUsdPerKwh, i.importUsdPerKwh) - i.p2pDeliveryUsdPerKwh) * deliveredShare;
      if (chargeLimit >= i.priceSignalUsdPerKwh) {
        out.bidChargeKwh = chargeRoom / deliveredShare;
        if (out.bidDeficitKwh === 0) out.bidLimitUsdPerKwh = chargeLimit;
        else if (chargeLimit < out.bidLimitUsdPerKwh) out.bidChargeKwh = 0; // one bid, one limit: only add charging if it is worth the deficit's limit
      }
    }
    // Offer surplus PV, then stored energy the home will not need, at no less than its export value.
    let allowance = Math.max(0, i.sellAllowanceKwh);
    if (surplus > ENERGY_EPSILON_KWH && allowance > ENERGY_EPSILON_KWH) {
      out.askSurplusKwh = Math.min(surplus, allowance);
      allowance -= out.askSurplusKwh;
    }
    if (
      i.hasBattery &&
      i.storedMayLeave &&
      out.bidDeficitKwh === 0 &&
      out.bidChargeKwh === 0 &&
      out.chargeKwh === 0 &&
      i.inExpensiveBlock &&
      allowance > ENERGY_EPSILON_KWH &&
      dischargeRoom > ENERGY_EPSILON_KWH
    ) {
      // keep what the rest of the block will need; sell the rest
      const keepStored = i.blockNeedKwh / i.dischargeEfficiency;
      const spareBus = Math.max(0, usableStoredKwh - out.dischargeKwh / i.dischargeEfficiency - keepStored) * i.dischargeEfficiency;
      const sell = Math.min(spareBus, dischargeRoom, allowance);
      if (sell > ENERGY_EPSILON_KWH) out.askBatteryKwh = sell;
    }
    if (out.askSurplusKwh + out.askBatteryKwh > ENERGY_EPSILON_KWH) {
      const ownValue = out.askBatteryKwh > 0 ? Math.max(i.exportUsdPerKwh, i.refillUsdPerKwh + wear) : i.exportUsdPerKwh;
      out.askLimitUsdPerKwh = ownValue;
    }
  }

  // A battery whose stored energy may leave exports what the rest of the block will not need when
  // the export value beats refilling it (plus wear); what it offered neighbours stays offered.
  if (
    i.hasBattery &&
    i.storedMayLeave &&
    i.inExpensiveBlock &&
    out.chargeKwh === 0 &&
    out.bidDeficitKwh + out.bidChargeKwh === 0 &&
    i.exportUsdPerKwh > i.refillUsdPerKwh + wear + RATE_EPSILON_USD_PER_KWH
  ) {
    const keepStored = i.blockNeedKwh / i.dischargeEfficiency;
    const committedStored = (out.dischargeKwh + out.askBatteryKwh) / i.dischargeEfficiency;
    const spareBus = Math.max(0, usableStoredKwh - committedStored - keepStored) * i.dischargeEfficiency;
    const x = Math.min(spareBus, dischargeRoom - out.askBatteryKwh);
    if (x > ENERGY_EPSILON_KWH) out.dischargeKwh += x;
  }

  // The run's last hours: stored energy its own load will not use before the end leaves the home, so it ends with what it started.
  if (i.hasBattery && i.storedMayLeave && out.chargeKwh + out.bidChargeKwh === 0 && !i.inExpensiveBlock) out.dischargeKwh += Math.max(0, Math.min(i.terminalExcessStoredKwh * i.dischargeEfficiency, dischargeRoom));
  if (out.bidDeficitKwh + out.bidChargeKwh > ENERGY_EPSILON_KWH) out.action = 'buy';
  else if (out.askSurplusKwh + out.askBatteryKwh > ENERGY_EPSILON_KWH) out.action = 'sell';
  return out;
}
