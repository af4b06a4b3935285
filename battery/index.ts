export { BatteryConfigSchema, type BatteryConfig } from './config.ts';
export {
  ENERGY_EPSILON_KWH,
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
