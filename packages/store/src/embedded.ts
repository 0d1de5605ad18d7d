/// <reference path="./dynalite.d.ts" />
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

/** Written in the data folder while a server runs its embedded DynamoDB, so other tools (the importer) can reach it. */
export const EMBEDDED_ENDPOINT_FILE = 'embedded-dynamodb.json';

export interface EmbeddedDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * A DynamoDB-compatible server in this process, on loopback only. With a directory it persists there (LevelDB),
 * so saved work survives restarts; without one it is in memory (tests).
 */
export async function startEmbeddedDynamo(options: { dir?: string; port?: number } = {}): Promise<EmbeddedDynamo> {
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const server = dynalite({ ...(options.dir && { path: options.dir }), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const marker = options.dir ? join(dirname(options.dir), EMBEDDED_ENDPOINT_FILE) : null;
  if (marker) writeFileSync(marker, JSON.stringify({ endpoint, pid: process.pid }));
  return {
    endpoint,
    close: () =>
      new Promise<void>((resolve, reject) => {
        if (marker) rmSync(marker, { force: true });
        server.closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
