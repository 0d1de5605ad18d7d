import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A fault for one HTTP request: refused for load (400 ThrottlingException) or failed on the server's side (500). */
export type HttpFault = 'throttle' | 'server-error' | undefined;

const ERRORS = {
  throttle: { status: 400, type: 'ThrottlingException', message: 'Rate of requests exceeds the allowed throughput. (injected)' },
  'server-error': { status: 500, type: 'InternalServerError', message: 'Internal server error (injected)' },
} as const;

/**
 * DynamoDB's wire protocol in front of a real endpoint, for counting what actually goes over the network: every
 * request is counted by operation (X-Amz-Target, e.g. "PutItem"), and `decide(operation, n)` (n counts that
 * operation's requests from 1) may answer it with a fault instead of passing it on. Below the SDK, so its retries,
 * if it made any, would be counted too.
 */
export async function startFaultProxy(target: string, decide: (operation: string, n: number) => HttpFault = () => undefined) {
  const counts = new Map<string, number>();
  let plan = decide;
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '?';
    const n = (counts.get(operation) ?? 0) + 1;
    counts.set(operation, n);
    const fault = plan(operation, n);
    if (fault) {
      const e = ERRORS[fault];
      req.resume();
      req.on('end', () => {
        res.writeHead(e.status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': `injected-${operation}-${n}` });
        res.end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${e.type}`, message: e.message }));
      });
      return;
    }
    const upstream = request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** HTTP requests of one operation so far. */
    sent: (operation: string) => counts.get(operation) ?? 0,
    /** Starts counting afresh with a new plan. */
    reset(next: (operation: string, n: number) => HttpFault) {
      counts.clear();
      plan = next;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
