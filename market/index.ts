/**
 * The market: configuration, PG&E tariffs (the grid as fallback counterparty), and the interval's
 * P2P pipeline: orders → validateOrders (central agent's rules) → matchOrders (recommends) →
 * settleMatches (enforces bounds, caps, trade size, loss, fee). Typed arrays, reused every interval.
 */
export * from './config.ts';
export * from './tariffs/index.ts';
export {
  SIDE_BUY,
  SIDE_SELL,
  createOrderBook,
  resetOrderBook,
  addOrder,
  type OrderSide,
  type OrderBook,
} from './order-book.ts';
export {
  REJECTION_REASONS,
  REJECTION_CODE,
  createRejectionList,
  resetRejectionList,
  pushRejection,
  validateOrders,
  type RejectionReason,
  type RejectionList,
} from './validate.ts';
export {
  createMatchList,
  resetMatchList,
  pushMatch,
  createMatchScratch,
  matchOrders,
  type MatchList,
  type MatchScratch,
} from './matching.ts';
export { createTradeList, resetTradeList, pushTrade, settleMatches, type TradeList } from './settlement.ts';
