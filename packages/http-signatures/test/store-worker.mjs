// A second verifier process: hammers the shared Redis store and reports what it was granted.
import { createRedisStore } from '../dist/entry-redis.js';

const [url, nonce, usageKey, limit, n] = process.argv.slice(2);
// Generous: under a loaded CI machine, connecting a fresh process can take more than a second.
const store = createRedisStore({ url, commandTimeoutMs: 10_000 });
const created = Math.floor(Date.now() / 1000);
const tasks = [];
for (let i = 0; i < Number(n); i++) {
  tasks.push(store.checkAndSet(nonce, { created, until: created + 60 }));
  tasks.push(store.increment(usageKey, Number(limit), 60));
}
const results = await Promise.all(tasks);
const firsts = results.filter((r) => r === true).length;
const granted = results.filter((r) => typeof r === 'object' && r.ok).length;
process.stdout.write(JSON.stringify({ firsts, granted }));
await store.close();
