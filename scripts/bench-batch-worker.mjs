// Worker for the batch row of scripts/bench.mjs: loads and warms up, says ready, then verifies its
// share of passports when told to go, and reports how many verified.
import { parentPort, workerData } from 'node:worker_threads';
import { createVerifier } from '@agent-passport/verifier';

const { issuer, passports, warmup } = workerData;
const verifier = createVerifier({ trustedIssuers: [issuer], cacheSize: 0 });
for (const p of warmup) await verifier.verifyCredential(p);
parentPort.once('message', async () => {
  let ok = 0;
  for (const p of passports) if ((await verifier.verifyCredential(p)).verified) ok++;
  parentPort.postMessage(ok);
});
parentPort.postMessage('ready');
