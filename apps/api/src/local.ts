import { optionsFromEnv, startLocalServer } from './runtime/local-server';

const server = await startLocalServer(optionsFromEnv());
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void server.close().then(() => process.exit(0)));
