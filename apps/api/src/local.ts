import { optionsFromEnv, startLocalServer } from './runtime/local-server';

const server = await startLocalServer(optionsFromEnv());
// The workers and the store's process stop with the server (the store also on its own if this process dies).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.close().finally(() => process.exit(0)));
