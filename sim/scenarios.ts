/**
 * Named scenarios: validated overlays on sim.config.json. The scenario library grows in its own
 * issue (heat wave, high solar, winter, EV adoption, stress); these are the core counterfactuals.
 */
export interface Scenario {
  name: string;
  description: string;
  overlay: Record<string, unknown>;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'baseline-summer',
    description: 'The default: 10 Sacramento-area homes on PG&E E-TOU-C, one mid-July trading day, every home with a Powerwall-class battery, P2P trading on.',
    overlay: {},
  },
  {
    name: 'no-p2p',
    description: 'Counterfactual: the same homes and batteries with P2P trading switched off (the grid is the only counterparty).',
    overlay: { market: { enabled: false } },
  },
  {
    name: 'no-battery',
    description: 'Counterfactual: the same homes with P2P trading but no batteries.',
    overlay: { battery: { share: 0 } },
  },
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
