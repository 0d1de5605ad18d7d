/// <reference path="./dynalite.d.ts" />
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';

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
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections?.();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
