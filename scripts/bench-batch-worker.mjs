// Worker for the batch row of scripts/bench.mjs: loads and warms up, says ready, then verifies its
// share of passports when told to go, and reports how many verified.
import { parentPort, workerData } from 'node:worker_threads';
import { createVerifier } from '@agent-passport/verifier';

const { issuer, passports, warmup, raw } = workerData;
if (raw !== undefined) {
  // The machine's own ceiling: raw Ed25519 verifies (key object reused), no toolkit code at all.
  const { createHash, generateKeyPairSync, sign, verify } = await import('node:crypto');
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const message = createHash('sha256').update('baseline').digest();
  const signature = sign(null, message, privateKey);
  for (let i = 0; i < 200; i++) verify(null, message, publicKey, signature);
  parentPort.once('message', () => {
    let ok = 0;
    for (let i = 0; i < raw; i++) if (verify(null, message, publicKey, signature)) ok++;
    parentPort.postMessage(ok);
  });
  parentPort.postMessage('ready');
} else {
  const verifier = createVerifier({ trustedIssuers: [issuer], cacheSize: 0 });
  for (const p of warmup) await verifier.verifyCredential(p);
  parentPort.once('message', async () => {
    let ok = 0;
    for (const p of passports) if ((await verifier.verifyCredential(p)).verified) ok++;
    parentPort.postMessage(ok);
  });
  parentPort.postMessage('ready');
}
