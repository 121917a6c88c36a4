// SPDX-License-Identifier: Apache-2.0
// A separate process working on the issuer state (for the concurrency and crash tests): allocates
// (or revokes) in a loop and reports on stdout only what is durable, i.e. after the call resolved.
import { openIssuerState } from '../dist/index.js';

const [file, mode, countArg] = process.argv.slice(2);
const state = openIssuerState(file, {
  issuer: 'did:web:acme.example',
  statusBase: 'https://acme.example/status',
  lockTimeoutMs: 60_000,
  staleLockMs: 2000,
});
process.stdout.write('ready\n');
const count = Number(countArg ?? 'Infinity');
for (let i = 0; i < count; i++) {
  const id = `urn:uuid:${crypto.randomUUID()}`;
  const { index } = await state.allocate({
    id,
    subject: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    agentName: `worker-${process.pid}`,
    issuedAt: '2026-06-01T00:00:00Z',
    validUntil: '2026-09-01T00:00:00Z',
  });
  if (mode === 'revoke') await state.change({ id }, 'revoke', new Date());
  process.stdout.write(`${id} ${index}\n`);
}
