export { openDatabase, verifyDurability, type Database, type OpenDatabaseOptions } from './database.js';
export { MIGRATIONS, SCHEMA_VERSION, migrate, schemaVersion, type Migration } from './migrations.js';
export {
  createRun, finishRun, getRun, latestRunId, type NewRun, type Run, type RunMode, type RunOutcome, type RunStatus,
} from './runs.js';
export { createEventWriter, type EventWriter, type EventWriterOptions, type EventWriterStats } from './event-writer.js';
export {
  loadEquity, loadEvents, loadFills, loadOpenOrders, loadOrders, loadPositions, loadStrategyState, maxClientOrderCounter, storedOrderReader,
  type OrderQuery, type StoredEvent, type StoredOrder,
} from './repositories.js';
export { rebuildPositions, rewriteResiduePositions, verifyPositions, type RebuiltPositions } from './verify-positions.js';
export type { StoredFill } from './rows.js';
export { loadFillMark, type FillMark } from './fill-marks.js';
export { createThreadEventWriter } from './thread-writer.js';
