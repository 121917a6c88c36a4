// A verifier process admitting requests through the shared Redis store in one round trip each:
// `n` admits of one nonce (replays), then `n` admits of distinct nonces against two counters (a
// delegation chain's root and its leaf). Reports what it was granted.
import { createRedisStore } from '../dist/entry-redis.js';

const [url, tag, rootLimit, leafLimit, n] = process.argv.slice(2);
const store = createRedisStore({ url, commandTimeoutMs: 10_000 });
const created = Math.floor(Date.now() / 1000);
const window = { created, until: created + 60 };
const counters = [
  { key: `${tag}:root`, limit: Number(rootLimit), ttlSeconds: 60 },
  { key: `${tag}:leaf`, limit: Number(leafLimit), ttlSeconds: 60 },
];
const tasks = [];
for (let i = 0; i < Number(n); i++) {
  tasks.push(store.admit(`${tag}:same`, window, []));
  tasks.push(store.admit(`${tag}:${process.pid}:${i}`, window, counters));
}
const results = await Promise.all(tasks);
const replays = results.filter((_, i) => i % 2 === 0);
const calls = results.filter((_, i) => i % 2 === 1);
process.stdout.write(
  JSON.stringify({
    firsts: replays.filter((r) => r.first).length,
    admitted: calls.filter((r) => r.first && r.exceeded === -1).length,
    refusedAtLeaf: calls.filter((r) => r.exceeded === 1).length,
  }),
);
await store.close();
