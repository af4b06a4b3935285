/**
 * Meter-data import (INPUTS.md): long CSV and Green Button XML meter files, a weather file and a
 * household metadata file, checked and repaired into the engine's day blocks, with a report of every
 * repair; and `inspect`, the first look at meter files.
 */
import { z } from 'zod';
import { InputsReportSchema } from './report.ts';
import { InspectReportSchema } from './inspect.ts';

export { INPUT_ERROR_CODE, InputError, type InputErrorLocation } from './errors.ts';
export { HouseholdsSourceSchema, MeterSourceSchema, SyntheticSourceSchema, type HouseholdsSource, type MeterSource } from './config.ts';
export {
  DEFAULT_TIMEZONE,
  IMPORTED_PROFILE_DEFAULTS,
  PEAK_AC_PER_KW_DC,
  importHouseholds,
  type HomeOverrides,
  type ImportOptions,
  type ImportedHouseholds,
} from './import.ts';
export { GREEN_BUTTON_NOTE, InputFileSchema, InputsReportSchema, formatInputsReport, type InputsReport } from './report.ts';
export { InspectHomeSchema, InspectReportSchema, formatInspectReport, inspectMeterFiles, type InspectOptions, type InspectReport } from './inspect.ts';
export { HomeMetadataSchema, type HomeMetadata } from './metadata.ts';
export { ALLOWED_STEPS_MIN, MAX_FILLED_GAP_MIN, RUN_STEP_MIN, fillGapLinear, findGaps, resampleEnergyTo30, resampleMeanTo30 } from './series.ts';
export { REFERENCE_PV_AZIMUTH_DEG, REFERENCE_PV_TILT_DEG } from './weather-at.ts';
export { WEATHER_FEATURES, type WeatherFeature } from './weather-file.ts';

/** JSON Schemas of the inputs report and the inspect report (for `wattswap schema`). */
export function meterJsonSchemas(): Record<string, unknown> {
  return { 'inputs-report.schema.json': z.toJSONSchema(InputsReportSchema), 'inspect.schema.json': z.toJSONSchema(InspectReportSchema) };
}
