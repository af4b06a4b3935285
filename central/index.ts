export { priceSignalUsdPerKwh, type PriceSignalInput } from './price-signal.ts';
export * from './optimum/index.ts';
export { createFederatedSession, pretrainFederated, type FederatedSession, type FederatedSessionOptions, type FederatedSummary } from './federated.ts';
export { allocateIsland, createIslandResult, pairTransfers, type IslandInput, type IslandResult } from './island.ts';
export { coordinatePrices, initialPrices, projectedImbalanceKwh, stepPrices, type CoordinationOptions, type CoordinationResult, type PriceResponse } from './coordination.ts';
