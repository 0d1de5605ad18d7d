#!/usr/bin/env node
// `npm run bench`: every workspace's benchmarks, one at a time (turbo, concurrency 1, never from cache), with the
// machine's facts printed before and after. Each benchmark reports ratios against a baseline measured in the same run,
// so figures compare across machines; the load printed here says how far to trust the absolute times beside them.
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, freemem, loadavg, totalmem } from 'node:os';

const gib = (b) => `${(b / 2 ** 30).toFixed(1)} GiB`;
const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');
const cpu = cpus()[0]?.model ?? 'unknown CPU';

console.log(`machine: ${availableParallelism()} cores (${cpu}), ${gib(totalmem())} memory, ${gib(freemem())} free; Node ${process.version}`);
console.log(`load average before (1, 5, 15 min): ${load()}`);
if (loadavg()[0] > availableParallelism()) console.log('note: the machine is busy; absolute times below will be inflated (ratios less so)');

const started = Date.now();
const run = spawnSync('npx', ['turbo', 'run', 'bench', '--concurrency=1', ...process.argv.slice(2)], { stdio: 'inherit' });
console.log(`load average after (1, 5, 15 min): ${load()}; benchmarks took ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(run.status ?? 1);
