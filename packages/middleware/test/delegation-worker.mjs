// A verifier instance in its own process, accepting delegated agents: verifies signed requests
// against a shared Redis store and reports how many were accepted, by code.
import { readFileSync } from 'node:fs';
import { createDelegationVerifier } from '@agent-passport/delegation';
import { createRedisStore } from '@agent-passport/http-signatures/redis';
import { createVerifier } from '@agent-passport/verifier';
import { createRequestVerifier } from '../dist/index.js';

const { redisUrl, issuer, origin, requests } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const store = createRedisStore({ url: redisUrl, keyPrefix: 'dlg:' });
const config = { trustedIssuers: [issuer], origin };
const rv = createRequestVerifier({
  verifier: createVerifier(config),
  delegation: createDelegationVerifier(config),
  store,
});
const tally = {};
for (const r of requests) {
  const result = await rv.verifyRequest(new Request(r.url, { method: r.method, headers: r.headers }));
  const k = result.verified ? 'accepted' : result.errors[0].code;
  tally[k] = (tally[k] ?? 0) + 1;
}
process.stdout.write(JSON.stringify(tally));
await store.close();
