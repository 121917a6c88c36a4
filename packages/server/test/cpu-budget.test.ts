// SPDX-License-Identifier: Apache-2.0
// What the open verification endpoints cost at worst: each hostile request below is sent to an
// in-process server over loopback HTTP, and the process CPU time it costs (process.cpuUsage, the
// median of three sends: client and server share the process, the body is serialised beforehand)
// must stay within the stated budget. Rings of blank nodes are refused with ERR_RDFC_LIMIT.
import { generateKey } from '@agent-passport/keystore';
import { didKeySigner, signCredential } from '@agent-passport/suites';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleCredential, loader, startTestServer, type TestServer } from './helpers.js';

/** The stated budget (README: what an open endpoint costs at worst), with room for a busy machine. */
const BUDGET_MS = 50;
const SLACK = 3;

const holder = didKeySigner(generateKey());
const did = holder.id.split('#')[0] as string;
const V = 'https://example.org/vocab#';
const fakeProof = (cryptosuite: string, proofPurpose = 'assertionMethod') => ({
  type: 'DataIntegrityProof',
  cryptosuite,
  created: '2026-01-01T00:00:00Z',
  verificationMethod: holder.id,
  proofPurpose,
  proofValue: `z${'1'.repeat(86)}`,
});
const credential = (subject: unknown, cryptosuite = 'eddsa-rdfc-2022') => ({
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  issuer: did,
  credentialSubject: subject,
  proof: fakeProof(cryptosuite),
});
/** A subject holding a ring of `n` blank nodes, each pointing at the next. */
const ring = (n: number) => ({
  id: 'did:example:s',
  [`${V}ring`]: Array.from({ length: n }, (_, i) => ({
    id: `_:b${i}`,
    [`${V}next`]: { id: `_:b${(i + 1) % n}` },
  })),
});
/** The largest n whose body stays under `bytes`. */
function fit(make: (n: number) => unknown, bytes: number): Buffer {
  let n = 16;
  while (JSON.stringify(make(n * 2)).length < bytes) n *= 2;
  let step = n / 2;
  while (step >= 1) {
    if (JSON.stringify(make(n + step)).length < bytes) n += step;
    step = Math.floor(step / 2);
  }
  return Buffer.from(JSON.stringify(make(n)));
}

let server: TestServer;
let roomy: TestServer;
beforeAll(async () => {
  server = await startTestServer({}, { selfSigned: false });
  roomy = await startTestServer({ maxBodyBytes: 1024 * 1024 }, { selfSigned: false });
});
afterAll(async () => {
  await server?.stop();
  await roomy?.stop();
});

async function cost(target: TestServer, path: string, raw: Buffer) {
  const runs: number[] = [];
  let reply: Awaited<ReturnType<TestServer['call']>> | undefined;
  for (let i = 0; i < 3; i++) {
    const before = process.cpuUsage();
    reply = await target.call('POST', path, undefined, { raw, token: null });
    const used = process.cpuUsage(before);
    runs.push((used.user + used.system) / 1000);
  }
  const median = runs.sort((a, b) => a - b)[1] as number;
  if (process.env['BUDGET_REPORT'])
    console.log(
      `${path} ${(raw.length / 1024).toFixed(0)} KiB: ${median.toFixed(1)} ms CPU (${runs.map((r) => r.toFixed(1)).join(', ')})`,
    );
  return { reply: reply as NonNullable<typeof reply>, median };
}

const KiB = 1024;
const vcBody = (vc: unknown) => ({ verifiableCredential: vc });
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const values = (n: number, width = 1) =>
  credential({
    id: 'did:example:s',
    [`${V}v`]: Array.from({ length: n }, (_, i) => `${i}`.padEnd(width, 'x')),
  });
const vp = (vcs: unknown[]) => ({
  verifiablePresentation: {
    '@context': ['https://www.w3.org/ns/credentials/v2'],
    type: ['VerifiablePresentation'],
    verifiableCredential: vcs,
  },
  options: {},
});

describe(`the open verification endpoints cost at most ~${BUDGET_MS} ms of CPU per request (default limits)`, () => {
  const cases: [string, string, () => Buffer | Promise<Buffer>, number, string][] = [
    [
      'a ring of blank nodes, ~90 KiB',
      '/credentials/verify',
      () => fit((n) => vcBody(credential(ring(n))), 90 * KiB),
      400,
      'ERR_RDFC_LIMIT',
    ],
    [
      'a ring of blank nodes, ~250 KiB',
      '/credentials/verify',
      () => fit((n) => vcBody(credential(ring(n))), 250 * KiB),
      400,
      'ERR_RDFC_LIMIT',
    ],
    [
      'a ring of 60 blank nodes (under the blank-node cap)',
      '/credentials/verify',
      () => json(vcBody(credential(ring(60)))),
      400,
      'ERR_RDFC_LIMIT',
    ],
    [
      'a ring of blank nodes, ~360 KiB (over the body limit)',
      '/credentials/verify',
      () => fit((n) => vcBody(credential(ring(n))), 360 * KiB),
      413,
      'ERR_API_TOO_LARGE',
    ],
    [
      'eddsa-rdfc-2022 just under the JSON-value cap, small values',
      '/credentials/verify',
      () => json(vcBody(values(560))),
      400,
      'ERR_PROOF_INVALID',
    ],
    [
      'eddsa-rdfc-2022 just under the JSON-value cap, ~250 KiB of literals',
      '/credentials/verify',
      () => json(vcBody(values(560, 440))),
      400,
      'ERR_PROOF_INVALID',
    ],
    [
      'eddsa-jcs-2022, ~250 KiB of small values',
      '/credentials/verify',
      () =>
        fit(
          (n) =>
            vcBody(
              credential(
                {
                  id: 'did:example:s',
                  [`${V}v`]: Array.from({ length: n }, (_, i) => (i % 2 ? `s${i}` : i)),
                },
                'eddsa-jcs-2022',
              ),
            ),
          250 * KiB,
        ),
      400,
      'ERR_PROOF_INVALID',
    ],
    [
      'a presentation of 64 signed eddsa-jcs-2022 credentials (~250 KiB)',
      '/presentations/verify',
      async () => {
        const subject = { id: 'did:example:alice', [`${V}pad`]: 'x'.repeat(3000) };
        const vc = await signCredential(exampleCredential(did, { credentialSubject: subject }), {
          signer: holder,
          created: new Date(Date.now() - 60_000),
          documentLoader: loader,
        });
        return json(vp(Array(64).fill(vc)));
      },
      200,
      '',
    ],
    [
      'a presentation of 64 signed eddsa-rdfc-2022 credentials (one budget per request)',
      '/presentations/verify',
      async () => {
        const { proof: _, ...unsigned } = values(100);
        const vc = await signCredential(unsigned, {
          signer: holder,
          created: new Date(Date.now() - 60_000),
          documentLoader: loader,
          cryptosuite: 'eddsa-rdfc-2022',
        });
        return json(vp(Array(64).fill(vc)));
      },
      400,
      'ERR_RDFC_LIMIT',
    ],
  ];
  for (const [name, path, body, status, code] of cases) {
    it(`${name}: ${status} ${code}`, async () => {
      const { reply, median } = await cost(server, path, await body());
      expect([reply.status, reply.json.errors?.[0]?.code ?? '']).toEqual([status, code]);
      expect(median).toBeLessThan(BUDGET_MS * SLACK);
    });
  }
});

describe('issuing (operator token) spends the same RDFC budget', () => {
  it('a ring of blank nodes to sign with eddsa-rdfc-2022, ~90 KiB: 400 ERR_RDFC_LIMIT, within budget', async () => {
    const raw = fit((n) => {
      const { proof: _, ...unsigned } = credential(ring(n));
      return {
        credential: { ...unsigned, issuer: server.issuer },
        options: { cryptosuite: 'eddsa-rdfc-2022' },
      };
    }, 90 * KiB);
    const before = process.cpuUsage();
    const reply = await server.call('POST', '/credentials/issue', undefined, { raw });
    const used = process.cpuUsage(before);
    expect([reply.status, reply.json.errors?.[0]?.code]).toEqual([400, 'ERR_RDFC_LIMIT']);
    expect((used.user + used.system) / 1000).toBeLessThan(BUDGET_MS * SLACK);
  });
});

describe('with a larger body limit, RDFC stays bounded by its own budget', () => {
  for (const kib of [360, 1000]) {
    it(`a ring of blank nodes, ~${kib} KiB: 400 ERR_RDFC_LIMIT, within budget`, async () => {
      const { reply, median } = await cost(
        roomy,
        '/credentials/verify',
        fit((n) => vcBody(credential(ring(n))), kib * KiB),
      );
      expect([reply.status, reply.json.errors?.[0]?.code]).toEqual([400, 'ERR_RDFC_LIMIT']);
      expect(median).toBeLessThan(BUDGET_MS * SLACK);
    });
  }
});
