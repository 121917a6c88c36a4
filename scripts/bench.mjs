// SPDX-License-Identifier: Apache-2.0
// `npm run bench`: one process, one run. Every figure is printed as a ratio to one raw Ed25519
// verify (node:crypto, key object reused) measured in the same run, because these machines are
// shared and noisy: ratios hold, absolute times do not. `--smoke` runs tiny iteration counts only to
// prove the benchmark still works (CI); its numbers mean nothing.
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';

const smoke = process.argv.includes('--smoke');
const ITER = smoke ? 5 : 2000;
const WARM = smoke ? 2 : 300;
const outDir = join(import.meta.dirname, '..', 'bench-results');

async function measure(name, fn, iterations = ITER) {
  for (let i = 0; i < WARM; i++) await fn(i);
  const times = new Float64Array(iterations);
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    times[i] = Number(process.hrtime.bigint() - t) / 1000;
  }
  times.sort();
  const at = (q) => times[Math.min(iterations - 1, Math.floor(q * iterations))];
  return { name, iterations, medianUs: at(0.5), p99Us: at(0.99) };
}

// Baseline: one raw Ed25519 verify with a reused KeyObject.
const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const message = createHash('sha256').update('baseline').digest();
const signature = sign(null, message, privateKey);
const baseline = await measure('raw Ed25519 verify (baseline)', () => {
  if (!verify(null, message, publicKey, signature)) throw new Error('baseline broken');
});

const org = generateKey();
const agent = generateKey();
const issuer = { id: org.did, signer: didKeySigner(org) };
const agentSigner = didKeySigner(agent);
const claims = {
  issuer,
  subject: agent.did,
  agentName: 'bench-agent',
  purpose: 'benchmark',
  scopes: ['read:arxiv', 'write:notes/*'],
  validUntil: new Date(Date.now() + 86_400_000),
  maxCalls: 1000,
};
const passport = await issuePassport(claims);
const verifier = createVerifier({ trustedIssuers: [org.did] });
const vp = await createPresentation({
  passport,
  signer: agentSigner,
  challenge: 'bench',
  domain: 'api.example',
});
const check = (r) => {
  if (!r.verified) throw new Error(`bench input refused: ${JSON.stringify(r.errors)}`);
};

const rows = [baseline];
rows.push(await measure('issue a passport', () => issuePassport(claims)));
rows.push(await measure('verify a passport', async () => check(await verifier.verifyCredential(passport))));
rows.push(
  await measure('create a presentation', () =>
    createPresentation({ passport, signer: agentSigner, challenge: 'bench', domain: 'api.example' }),
  ),
);
rows.push(
  await measure('verify a presentation', async () =>
    check(await verifier.verifyPresentation(vp, { challenge: 'bench', domain: 'api.example' })),
  ),
);

const sizes = {
  passportBytes: Buffer.byteLength(JSON.stringify(passport)),
  presentationBytes: Buffer.byteLength(JSON.stringify(vp)),
};
const result = {
  date: new Date().toISOString(),
  smoke,
  machine: { node: process.version, cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown' },
  baselineMedianUs: baseline.medianUs,
  rows: rows.map((r) => ({ ...r, ratio: r.medianUs / baseline.medianUs })),
  sizes,
};

const pad = (s, n) => String(s).padEnd(n);
console.log(
  `\nAgent Passport benchmark · ${result.date} · Node ${process.version} · ${result.machine.cpus} × ${result.machine.model}`,
);
if (smoke) console.log('(smoke run: tiny iteration counts, the numbers mean nothing)');
console.log(`\n${pad('operation', 34)}${pad('median µs', 12)}${pad('p99 µs', 12)}× raw verify`);
for (const r of result.rows) {
  console.log(
    `${pad(r.name, 34)}${pad(r.medianUs.toFixed(1), 12)}${pad(r.p99Us.toFixed(1), 12)}${r.ratio.toFixed(2)}×`,
  );
}
console.log(`\nsizes: passport ${sizes.passportBytes} B, presentation ${sizes.presentationBytes} B`);
mkdirSync(outDir, { recursive: true });
const file = join(outDir, smoke ? 'smoke.json' : 'latest.json');
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
console.log(`\nJSON: ${file}`);
