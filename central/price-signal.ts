/**
 * The central agent's price signal: the middle of the band in which a P2P trade benefits both
 * sides — above the seller's alternative (the export value) and below the buyer's (what a delivered
 * kWh saves it: the import rate less the delivery charge it still pays, net of transmission loss) — moved toward the band's top when the previous
 * interval had more demand than supply and toward its bottom when it had more supply, then held
 * within the market's price bounds.
 */
export interface PriceSignalInput {
  /** what a delivered P2P kWh saves the buyer: its import rate less the delivery charge on it */
  buyerValueUsdPerKwh: number;
  exportUsdPerKwh: number;
  previousDemandKwh: number;
  previousSupplyKwh: number;
  transmissionLoss: number;
  minPriceUsdPerKwh: number;
  maxPriceUsdPerKwh: number;
  /** 0 … 1: how far a full imbalance moves the signal from the band's middle toward its edge */
  sensitivity: number;
}

export function priceSignalUsdPerKwh(i: PriceSignalInput): number {
  const sellerFloor = i.exportUsdPerKwh;
  const buyerCeiling = i.buyerValueUsdPerKwh * (1 - i.transmissionLoss);
  const total = i.previousDemandKwh + i.previousSupplyKwh;
  const imbalance = total > 1e-12 ? (i.previousDemandKwh - i.previousSupplyKwh) / total : 0;
  const position = 0.5 + 0.5 * i.sensitivity * imbalance;
  const price = sellerFloor + (buyerCeiling - sellerFloor) * position;
  return Math.min(i.maxPriceUsdPerKwh, Math.max(i.minPriceUsdPerKwh, price));
}
