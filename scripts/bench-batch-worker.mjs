// Worker for the batch row of scripts/bench.mjs: loads, then warms up for `warmMs` (time, not a
// count: a fresh worker runs its first thousand verifies at several times the steady cost), says
// ready; told to go, it verifies its share of distinct passports round and round (no cache) for
// `runMs`, and reports how many verified and over how long.
import { parentPort, workerData } from 'node:worker_threads';
import { createVerifier } from '@agent-passport/verifier';

const { issuer, passports, raw, warmMs, runMs } = workerData;

/** Run `step` (true when it verified) until `ms` have passed; how many verified, in how long. */
async function runFor(ms, step) {
  let ok = 0;
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 16; i++) if (await step(n++)) ok++;
  }
  return { ok, done: n, seconds: (performance.now() - start) / 1000 };
}

let step;
if (raw) {
  // The machine's own ceiling: raw Ed25519 verifies (key object reused), no toolkit code at all.
  const { createHash, generateKeyPairSync, sign, verify } = await import('node:crypto');
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const message = createHash('sha256').update('baseline').digest();
  const signature = sign(null, message, privateKey);
  step = () => verify(null, message, publicKey, signature);
} else {
  const verifier = createVerifier({ trustedIssuers: [issuer], cacheSize: 0 });
  step = async (i) => (await verifier.verifyCredential(passports[i % passports.length])).verified;
}
await runFor(warmMs, step);
parentPort.once('message', async () => parentPort.postMessage(await runFor(runMs, step)));
parentPort.postMessage('ready');
