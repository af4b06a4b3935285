/**
 * Named scenarios: validated overlays on sim.config.json (`wattswap run --scenario NAME`,
 * `wattswap scenarios`). Each says what it represents and where its figures come from
 * (../shared/REFERENCE-DATA.md unless named otherwise).
 */
export interface Scenario {
  name: string;
  description: string;
  /** where the scenario's figures come from */
  sources: readonly string[];
  overlay: Record<string, unknown>;
}

const REF = 'REFERENCE-DATA.md';

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'baseline-summer',
    description:
      'The default: a street of 10 homes in Davis (PG&E, baseline territory S), one mid-July weekday, P2P trading on. 60 % have PV, most of them on legacy net metering (NEM 2) and the rest on a Net Billing Tariff vintage (households.exportMix); batteries where they sit today: 60 % of NBT solar homes, 10 % of NEM 2 solar homes, 1 % of homes without solar (battery.attachment); a Powerwall 3 with a 20 % backup reserve.',
    sources: [
      `${REF}: PG&E March 2026 rates, NBT export values, Powerwall 3 (13.5 kWh, 11.5 kW, 89 %), Tesla's 20 % default backup reserve, 7.1 kW median PV and 60 % storage attachment on NBT systems (LBNL)`,
      'export mix and legacy/no-solar attachment: stated assumptions (data-gen/config.ts, battery/config.ts)',
    ],
    overlay: {},
  },
  {
    name: 'heatwave-2022',
    description:
      'A heat wave shaped like California\'s 31 Aug – 9 Sep 2022, replayed on the 2026 calendar: ten days of clear, hot weather peaking about +13 °C above the normal high (Sacramento 116 °F vs a 92 °F normal), A/C load rising with it, Flex Alert evenings 4–9 pm on every day (60 % of homes raise thermostats 2 °C, cut plug load 20 %, defer laundry), and the September evening export values. Trading window: the three hottest days, 4–6 September.',
    sources: [
      `${REF}: Sacramento 116 °F on 6 Sep 2022 (normal early-September high 92 °F); ten consecutive Flex Alert days 4–9 pm; CAISO record peak 52,061 MW`,
      'CAISO Flex Alert guidance: thermostats at 78 °F or higher, avoid major appliances 4–9 pm',
    ],
    overlay: {
      time: { start: '2026-09-04', days: 3 },
      weather: { heatWave: { start: '2026-08-31', days: 10, peakAnomalyC: 13 }, flexAlert: {} },
    },
  },
  {
    name: 'high-solar',
    description:
      'Most homes with PV (90 %, median 8.5 kW) on a clear mid-April weekday: a large midday surplus when NBT export values are near zero (April midday ≈ $0.007/kWh), so neighbours and batteries are worth more than the grid.',
    sources: [`${REF}: NBT export values (April midday $0.007/kWh); 60 % storage attachment on NBT systems`],
    overlay: {
      time: { start: '2026-04-15' },
      households: { pvShare: 0.9, medianPvKw: 8.5 },
      weather: { cloudinessScale: 0.3 },
    },
  },
  {
    name: 'winter',
    description: 'A January weekday: short days, low PV, winter E-TOU-C rates of the January 2026 sheet (peak $0.46459, off-peak $0.43459: little to shift) and winter export values.',
    sources: [`${REF}: E-TOU-C winter rates; winter PV about 60 % of summer`],
    overlay: { time: { start: '2026-01-20' } },
  },
  {
    name: 'ev-adoption',
    description:
      'Half the street drives electric (evShare 0.5; change it with --param households.evShare=…): Level 2 charging mostly in the evening and overnight, +2.9 kWh/day per EV on average, on the EV2-A tariff whose off-peak is midnight–3 pm. The 10 homes share an older 50 kVA pole-top transformer (47.5 kW at power factor 0.95): summary.json counts the intervals the chargers and batteries push it over.',
    sources: [
      `${REF}: +2.9 kWh/day per EV (Burlig et al. 2024), Level 2 7.2–7.7 kW; EV2-A March 2026 rates`,
      'residential pole-top units of 25, 37.5 or 50 kVA serving a few homes each; transformers with little capacity per customer overload first with EVs (National Academies 2015, p. 75, after EPRI TR 1024101); 10 homes on one 50 kVA unit and power factor 0.95 are assumptions (sim/feeder.ts)',
    ],
    overlay: { households: { evShare: 0.5 }, tariff: { plan: 'EV2-A' }, grid: { feederLimitKw: 47.5 } },
  },
  {
    name: 'psps-2019',
    description:
      'A Public Safety Power Shutoff shaped like PG&E\'s October 2019 events, on the 2026 calendar: three late-October days of fire weather (dry offshore wind, clear skies, warmer than normal), the grid de-energised for 48 h from 6 pm on the first day, announced 48 h ahead, so every battery charges toward 100 % from the start of the run (Storm Watch) and may use its backup reserve while the grid is down. While down, the 10 homes run as an islanded microgrid: critical load (refrigerator, lighting, plug/medical baseline) first, then deferrable load, shared fairly; summary.json\'s `outage` section reports unserved energy with and without P2P. Sharing while PG&E\'s lines are de-energised assumes a utility-sanctioned community microgrid behind one isolation point with a backup gateway at every home (Rule 21 anti-islanding forbids feeding de-energised lines otherwise; CPUC Microgrid Incentive Program, D.23-04-034); without one each home is on its own, as in the without-P2P figures.',
    sources: [
      'CPUC, "Public Safety Power Shutoff (PSPS) / De-energization" and PG&E\'s October 2019 PSPS post-event reports: about 2 million people (about 940,000 customer accounts on 26–27 Oct 2019), outages of up to several days, notice aimed at 48 h and at least 24 h ahead',
      'CPUC Decision D.23-04-034 (Microgrid Incentive Program); PG&E Electric Rule 21 (anti-islanding); Tesla Powerwall Storm Watch',
      'Value of lost load: LBNL ICE Calculator (Sullivan, Schellenberg & Blundell 2015, LBNL-6941E) residential cost per unserved kWh, a few $/kWh for multi-hour outages',
    ],
    overlay: {
      time: { start: '2026-10-26', days: 3 },
      weather: { cloudinessScale: 0.1, temperatureOffsetC: 4 },
      grid: { outages: [{ start: '2026-10-26T18:00', hours: 48, noticeHours: 48 }] },
    },
  },
  {
    name: 'no-p2p',
    description: 'Counterfactual: the same homes and batteries with P2P trading switched off (the grid is the only counterparty).',
    sources: [],
    overlay: { market: { enabled: false } },
  },
  {
    name: 'battery-every-home',
    description:
      'What-if: every home has a battery (battery.share 1), the homes without solar included — far more storage than a 2026 street holds (most home batteries sit beside NBT solar).',
    sources: [`${REF}: storage attachment 60 % of NBT systems, standalone home batteries rare`],
    overlay: { battery: { share: 1 } },
  },
  {
    name: 'p2p-sandbox',
    description:
      "Policy what-if: P2P kWh travel over PG&E's wires free of delivery charges, so a neighbour's kWh replaces the buyer's whole retail rate. No California tariff allows this today (PG&E bills delivery on every kWh delivered to a home).",
    sources: [],
    overlay: { market: { settlement: 'sandbox' } },
  },
  {
    name: 'no-battery',
    description: 'Counterfactual: the same homes with P2P trading but no batteries.',
    sources: [],
    overlay: { battery: { share: 0 } },
  },
  {
    name: 'tariff-e-tou-d',
    description: 'The default community on E-TOU-D (peak 5–8 pm on non-holiday weekdays only).',
    sources: [`${REF}: E-TOU-D March 2026 rates`],
    overlay: { tariff: { plan: 'E-TOU-D' } },
  },
  {
    name: 'tariff-ev2-a',
    description: 'The default community on EV2-A (peak 4–9 pm, part-peak 3–4 pm and 9 pm–midnight, off-peak midnight–3 pm).',
    sources: [`${REF}: EV2-A March 2026 rates`],
    overlay: { tariff: { plan: 'EV2-A' } },
  },
  {
    name: 'tariff-e-elec',
    description: 'The default community on E-ELEC, the plan Net Billing Tariff solar customers are on.',
    sources: [`${REF}: E-ELEC March 2026 rates`],
    overlay: { tariff: { plan: 'E-ELEC' } },
  },
  {
    name: 'tariff-legacy-tou-c',
    description:
      'The seed proposal\'s simplified "TOU-C" ($0.28 off-peak 0–6 h, $0.51 peak 16–20 h, $0.35 otherwise). Not a real PG&E schedule: kept only to compare with the proposal.',
    sources: [`${REF}: the seed proposal's TOU-C, which does not match E-TOU-C's real periods`],
    overlay: { tariff: { plan: 'TOU-C-legacy' } },
  },
  {
    name: 'stress-supply-shortage',
    description: 'Supply shortage: a heavily overcast summer day (cloud cover ×4), so PV falls to a fraction of normal and neighbours have little to sell.',
    sources: ['energy-market seed stress cases: supply shortage'],
    overlay: { weather: { cloudinessScale: 4 } },
  },
  {
    name: 'stress-demand-spike',
    description: 'Demand spike: a day 8 °C hotter than normal with 60 % EV ownership: A/C and evening charging pile onto the 4–9 pm peak.',
    sources: ['energy-market seed stress cases: demand spike'],
    overlay: { weather: { temperatureOffsetC: 8 }, households: { evShare: 0.6 } },
  },
  {
    name: 'stress-renewable-surge',
    description: 'Renewable surge: every home with a 10 kW median array on a cloudless spring day: far more supply than demand at midday.',
    sources: ['energy-market seed stress cases: renewable surge'],
    overlay: { time: { start: '2026-04-15' }, households: { pvShare: 1, medianPvKw: 10 }, weather: { cloudinessScale: 0 } },
  },
  {
    name: 'stress',
    description:
      'The three stress cases at once where they can coincide: an overcast, 8 °C hotter than normal summer day (supply shortage and demand spike) in a community where most homes have PV and an EV.',
    sources: ['energy-market seed stress cases'],
    overlay: {
      weather: { cloudinessScale: 4, temperatureOffsetC: 8 },
      households: { pvShare: 0.9, evShare: 0.6 },
    },
  },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}

/** The scenario table of the README (`wattswap scenarios --markdown`). */
export function scenariosMarkdown(): string {
  const rows = SCENARIOS.map(
    (s) => `| \`${s.name}\` | ${s.description} | ${s.sources.length ? s.sources.join('; ') : '—'} |`,
  );
  return ['| scenario | what it represents | source figures |', '|---|---|---|', ...rows].join('\n');
}
