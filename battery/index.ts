export { BatteryConfigSchema, type BatteryConfig } from './config.ts';
export {
  batteryParams,
  initialSocKwh,
  maxChargeKwh,
  maxDischargeKwh,
  selfDischargeKwh,
  stepBattery,
  equivalentFullCycles,
  fadedCapacityKwh,
  type BatteryParams,
  type BatteryStep,
} from './physics.ts';
