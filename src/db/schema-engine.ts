// Prisma's WebAssembly schema engine, loaded by hand. The package's own entry does
// `import * as wasm from "./schema_engine_bg.wasm"`, which Node 20 accepts only behind
// --experimental-wasm-modules; instantiating the file through the package's glue module works
// on every supported Node and needs no native engine download (firewalled installs, CI).
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

let engineClass: Promise<typeof SchemaEngine> | undefined;

// The engine reports a Rust panic through this global before throwing; the Prisma CLI defines
// it, and without it a panic surfaces as "Cannot read properties of undefined".
const panics = globalThis as unknown as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } };
panics.PRISMA_WASM_PANIC_REGISTRY ??= {
  set_message(message: string) {
    console.error(`schema engine panic: ${message}`);
  },
};

// Node's WebAssembly global; @types/node declares only its types, not the value.
const wasm = (
  globalThis as unknown as {
    WebAssembly: {
      instantiate(bytes: Uint8Array, imports: Record<string, object>): Promise<{ instance: { exports: Record<string, unknown> } }>;
    };
  }
).WebAssembly;

function unref<T>(timer: T): T {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}

async function loadEngineClass(): Promise<typeof SchemaEngine> {
  // createRequire rather than import.meta.resolve: the latter is missing under vitest's runner.
  const entry = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm');
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const bytes = await readFile(join(dirname(entry), 'schema_engine_bg.wasm'));
  // The engine arms 10-second timers that outlive its work; unref'd, they no longer keep a
  // finished CLI, test or benchmark process alive.
  const imports = Object.fromEntries(
    Object.entries(glue).map(([name, value]) =>
      name.startsWith('__wbg_setTimeout') && typeof value === 'function' ? [name, (...args: unknown[]) => unref((value as (...a: unknown[]) => unknown)(...args))] : [name, value],
    ),
  );
  const { instance } = await wasm.instantiate(bytes, { './schema_engine_bg.js': imports });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  return glue.SchemaEngine;
}

async function execAdmin(config: pg.ClientConfig, sql: string): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const PG_CHAR_OID = 18; // pg_catalog's one-byte "char" (relkind, contype, ...)
const PG_TEXT_OID = 25;

type QueryResultLike = { fields?: { dataTypeID: number }[] } | undefined;

function charColumnsAsText<T extends QueryResultLike>(result: T): T {
  for (const field of result?.fields ?? []) {
    if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

/**
 * A pg pool for the schema engine. The engine describes a database through catalog queries
 * that return `"char"` columns, a type @prisma/adapter-pg 7.10 does not map (it throws
 * "Column type 'char' could not be deserialized"); its values arrive as one-character strings,
 * so presenting the column as text is exact.
 */
function enginePool(config: pg.PoolConfig): pg.Pool {
  const pool = new pg.Pool(config);
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (...args: unknown[]) => {
      const last = args.length - 1;
      const callback = args[last];
      if (typeof callback === 'function') {
        args[last] = (error: unknown, result: QueryResultLike) => callback(error, error ? result : charColumnsAsText(result));
        return query(...args);
      }
      const pending = query(...args);
      return pending instanceof Promise ? pending.then(charColumnsAsText) : pending;
    };
  });
  return pool;
}

/** What PrismaPgAdapter has beyond the interface; pinned versions, exercised by the migration tests. */
type ScriptAdapter = SqlDriverAdapter & { onError(error: unknown): never; underlyingDriver(): pg.Pool };

/**
 * Sends a migration script to Postgres whole, as the native engine does. @prisma/adapter-pg
 * 7.10 splits scripts on every `;`, which breaks any function body, DO block or string literal
 * containing one. One simple-protocol query also makes the script atomic.
 */
function wholeScripts<T extends SqlDriverAdapter>(adapter: T): T {
  const scriptAdapter = adapter as unknown as ScriptAdapter;
  adapter.executeScript = async (script: string) => {
    try {
      await scriptAdapter.underlyingDriver().query(script);
    } catch (error) {
      scriptAdapter.onError(error);
    }
  };
  return adapter;
}

/**
 * The pg adapter with our own shadow-database handling. @prisma/adapter-pg 7.10's
 * `connectToShadowDb` drops the shadow database while its own pool still holds a connection
 * (so the drop fails) and leaves a pool open (so the process hangs for its idle timeout).
 */
function migrationAdapterFactory(connectionString: string, pool: pg.Pool): SqlMigrationAwareDriverAdapterFactory {
  const config = parseIntoClientConfig(connectionString);
  const main = new PrismaPg(pool);
  return {
    provider: main.provider,
    adapterName: main.adapterName,
    connect: async () => wholeScripts(await main.connect()),
    async connectToShadowDb() {
      const database = `hearback_shadow_${randomUUID().replaceAll('-', '')}`;
      await execAdmin(config, `CREATE DATABASE ${pg.escapeIdentifier(database)}`);
      const shadowPool = enginePool({ ...config, database });
      const adapter = await new PrismaPg(shadowPool, { disposeExternalPool: true }).connect();
      const release = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await release();
        await execAdmin(config, `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
      };
      return wholeScripts(adapter);
    },
  };
}

export interface EngineSession {
  engine: SchemaEngine;
  /** Engine log lines (warnings, notices), for the CLI to print on failure. */
  logs: string[];
  /** Frees the engine and closes its connections (the engine itself leaves them open). */
  close(): Promise<void>;
}

/** Opens a schema engine connected to `connectionString`, with `schema` as its datamodel. */
export async function openSchemaEngine(connectionString: string, schema: { path: string; content: string }): Promise<EngineSession> {
  engineClass ??= loadEngineClass();
  const Engine = await engineClass;
  const logs: string[] = [];
  const pool = enginePool(parseIntoClientConfig(connectionString));
  const engine = await Engine.new(
    { datamodels: [[schema.path, schema.content]] },
    (line: string) => logs.push(line),
    bindMigrationAwareSqlAdapterFactory(migrationAdapterFactory(connectionString, pool)),
  );
  return {
    engine,
    logs,
    async close() {
      engine.free();
      await pool.end();
    },
  };
}
