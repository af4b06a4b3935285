export { priceSignalUsdPerKwh, type PriceSignalInput } from './price-signal.ts';
export * from './optimum/index.ts';
