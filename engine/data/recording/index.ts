/** Recorded tick format: chunked, compressed, columnar on decode. The format is specified in data/FORMAT.md. */
export { RECORDING_VERSION, type Compression } from './format.js';
export { createRecordingWriter, type RecordingWriter, type WriterOptions } from './writer.js';
export { readRecording, readChunks, recordingInfo, isRecording, type ReadOptions, type RecordingInfo } from './reader.js';
export { replayRecordings, type ReplayOptions } from './replay.js';
export { decodeChunk, decodeMeta } from './decode-chunk.js';
export { encodeChunk } from './encode-chunk.js';
export { columnBytes, type DecodedChunk, type QuoteColumns, type BookColumns, type TradeColumns, type BarColumns } from './columns.js';
export type { NumColumn } from './scale.js';
