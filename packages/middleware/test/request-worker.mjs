// A verifier instance in its own process: verifies the same signed request many times at once
// against a shared Redis store and reports how many were accepted, by code.
import { readFileSync } from 'node:fs';
import { createRedisStore } from '@agent-passport/http-signatures/redis';
import { createVerifier } from '@agent-passport/verifier';
import { createRequestVerifier } from '../dist/index.js';

const { redisUrl, issuer, requests } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const store = createRedisStore({ url: redisUrl, keyPrefix: 'mp:', commandTimeoutMs: 10_000 });
const rv = createRequestVerifier({ verifier: createVerifier({ trustedIssuers: [issuer] }), store });
const results = await Promise.all(
  requests.map((r) =>
    rv.verifyRequest(
      new Request(r.url, { method: r.method, headers: r.headers, ...(r.body ? { body: r.body } : {}) }),
    ),
  ),
);
const tally = {};
for (const r of results) {
  const k = r.verified ? 'accepted' : r.errors[0].code;
  tally[k] = (tally[k] ?? 0) + 1;
}
process.stdout.write(JSON.stringify(tally));
await store.close();
