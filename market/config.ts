import { z } from 'zod';

export const MatchingRuleSchema = z
  .enum(['instant', 'pay-as-bid', 'uniform-price'])
  .describe(
    'instant: every willing buyer and seller is paired at the central price signal; pay-as-bid: continuous double auction, trades at the bid; uniform-price: one clearing price per interval (pay-as-clear)',
  );
export type MatchingRule = z.infer<typeof MatchingRuleSchema>;

export const SettlementSchema = z
  .enum(['supplier', 'sandbox', 'flat-fee'])
  .describe(
    "who pays for the wires a P2P kWh travels over. supplier: a local market run by the energy supplier (PG&E or a CCA): a neighbour's kWh replaces only the generation part of the buyer's rate, and the buyer pays the rest (import rate − generation) per delivered kWh; sandbox: no charge for delivery (a policy what-if: no California tariff allows it today); flat-fee: the buyer pays feeUsdPerKwh per delivered kWh",
  );
export type Settlement = z.infer<typeof SettlementSchema>;

/**
 * What a buyer pays the utility for each P2P kWh delivered to it, under a settlement regime (USD per
 * delivered kWh): supplier, its plan's import rate less the generation component (a plan whose sheet
 * does not unbundle the rate has no generation component to replace: the whole rate); sandbox, 0;
 * flat-fee, the market's fee.
 */
export function p2pDeliveryUsdPerKwh(settlement: Settlement, importUsdPerKwh: number, generationUsdPerKwh: number | null, feeUsdPerKwh: number): number {
  if (settlement === 'sandbox') return 0;
  if (settlement === 'flat-fee') return feeUsdPerKwh;
  return generationUsdPerKwh === null ? importUsdPerKwh : importUsdPerKwh - generationUsdPerKwh;
}

/** Market rules from the seed proposal (2 kWh per trade, 10 kWh/day, $0.10–$1.00, 5 % loss). */
export const MarketConfigSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('false = no P2P trading (households settle only with the grid)'),
    rule: MatchingRuleSchema.default('instant'),
    maxTradeKwh: z.number().positive().max(1000).default(2).describe('largest energy in one trade, kWh sent'),
    maxDailySellKwh: z.number().positive().max(10000).default(10).describe('most energy one household may sell per calendar day, kWh sent'),
    minPriceUsdPerKwh: z.number().min(0).max(100).default(0.1),
    maxPriceUsdPerKwh: z.number().positive().max(100).default(1.0),
    transmissionLoss: z.number().min(0).lt(1).default(0.05).describe('share of sent energy lost in delivery; the buyer pays for sent energy'),
    settlement: SettlementSchema.default('supplier'),
    feeUsdPerKwh: z.number().min(0).max(1).default(0).describe('under settlement flat-fee: what the buyer pays the utility per delivered kWh, on top of the price (unused otherwise)'),
  })
  .refine((m) => m.minPriceUsdPerKwh < m.maxPriceUsdPerKwh, {
    message: 'minPriceUsdPerKwh must be below maxPriceUsdPerKwh',
    path: ['minPriceUsdPerKwh'],
  });
export type MarketConfig = z.infer<typeof MarketConfigSchema>;
