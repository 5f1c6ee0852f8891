import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDatabase,
  SqliteDialect,
  type TransactionSettings,
} from 'kysely';
import type { SqliteWorker } from './sqlite-worker.js';

class Connection implements DatabaseConnection {
  constructor(private readonly worker: SqliteWorker) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const { rows, changes } = await this.worker.query(compiled.sql, compiled.parameters);
    return changes === undefined ? { rows: rows as R[] } : { numAffectedRows: BigInt(changes), rows: [] };
  }

  // biome-ignore lint/correctness/useYield: streaming is not used by Parley; say so if it ever is.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming queries are not supported by the SQLite store');
  }
}

class FairSqliteDriver implements Driver {
  private readonly connection: Connection;

  constructor(private readonly worker: SqliteWorker) {
    this.connection = new Connection(worker);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.worker.connection.lock();
    return this.connection;
  }

  async beginTransaction(connection: DatabaseConnection, _settings: TransactionSettings): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async releaseConnection(): Promise<void> {
    this.worker.connection.unlock();
  }

  async destroy(): Promise<void> {
    await this.worker.close();
  }
}

/**
 * Kysely's SQLite dialect over the connection thread (sqlite-worker.ts), with a fair
 * connection lock: one transaction at a time, in the order they asked.
 */
export class FairSqliteDialect extends SqliteDialect {
  constructor(private readonly worker: SqliteWorker) {
    // Kysely's own driver is never created: createDriver is ours.
    super({ database: {} as SqliteDatabase });
  }

  override createDriver(): Driver {
    return new FairSqliteDriver(this.worker);
  }
}
