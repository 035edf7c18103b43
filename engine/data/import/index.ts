/** Tick import (CSV / NDJSON, plain, .gz or .zip; Lean presets) and export. */
export { exportTicks, type ExportFormat } from './export-ticks.js';
export { importTicks } from './import-ticks.js';
export { leanDateOf, leanPreset, type LeanPreset, type LeanPresetName, type LeanPresetOptions } from './lean-presets.js';
export type { ImportFormat, ImportKind, ImportOptions, ImportResult, ImportSource, ImportStats, ImportTimeZone, TsUnit } from './types.js';
export { listZipEntries, pickZipEntry, readZipEntry, type ZipEntry } from './zip.js';
