import { z } from 'zod';

export const MatchingRuleSchema = z
  .enum(['instant', 'pay-as-bid', 'uniform-price'])
  .describe(
    'instant: every willing buyer and seller is paired at the central price signal; pay-as-bid: continuous double auction, trades at the bid; uniform-price: one clearing price per interval (pay-as-clear)',
  );
export type MatchingRule = z.infer<typeof MatchingRuleSchema>;

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
    feeUsdPerKwh: z.number().min(0).max(1).default(0).describe('fee the central agent takes per kWh sent, paid by the buyer on top of the price'),
  })
  .refine((m) => m.minPriceUsdPerKwh < m.maxPriceUsdPerKwh, {
    message: 'minPriceUsdPerKwh must be below maxPriceUsdPerKwh',
    path: ['minPriceUsdPerKwh'],
  });
export type MarketConfig = z.infer<typeof MarketConfigSchema>;
