/** @module persistence: the QueueStore implementations (memory, SQLite) and the one way the server picks one. */
import type { QueueStore } from '../engine/index.ts';
import { MemoryStore } from './memory-store.ts';
import { SqliteStore } from './sqlite-store.ts';

export { GroupCommitStore } from './group-commit.ts';
export { MemoryStore } from './memory-store.ts';
export { SqliteStore, SQLITE_FILE_NAME, SCHEMA_VERSION } from './sqlite-store.ts';
export type { SqliteStoreOptions } from './sqlite-store.ts';
export { StoreError, STORE_ERROR_KINDS } from './store-error.ts';
export type { StoreErrorKind } from './store-error.ts';

/** Which store to open: `memory` keeps nothing across restarts; `sqlite` keeps `<dataDir>/mqs.sqlite`. */
export type StoreOptions = { kind: 'memory' } | { kind: 'sqlite'; dataDir: string; sync?: 'normal' | 'full' };

/**
 * Opens the store the server runs on. Throws (sqlite only) when the data directory cannot be created or the
 * file there is not an mqs database of a schema this code knows.
 */
export function openStore(options: StoreOptions): QueueStore {
  if (options.kind === 'memory') return new MemoryStore();
  return new SqliteStore(options.sync === undefined ? { dataDir: options.dataDir } : { dataDir: options.dataDir, sync: options.sync });
}
