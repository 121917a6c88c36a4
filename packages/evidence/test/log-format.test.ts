// SPDX-License-Identifier: Apache-2.0
// The log's files are a format other tools read (the audit, the inspector, an auditor's own
// scripts): the writer's output for a fixed run is checked byte for byte against files in
// log-format/, written by the writer as it was before issue 16 split it. The run covers each kind
// of entry, a passport stored once per file, an inline passport header replaced by its marker, a
// kept body, a delegated call, a refused call named by its signer, rotation, and the repair of a
// torn last line. Regenerate after an intentional change:
// `UPDATE_FIXTURES=1 npx vitest run test/log-format.test.ts`, then review the diff.
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentPassport, DidKey } from '@agent-passport/core';
import type { RequestEvidence, RequestVerification } from '@agent-passport/middleware';
import { afterAll, expect, it } from 'vitest';
import { openEvidenceLog } from '../src/index.js';

const expected = join(import.meta.dirname, 'log-format');
const update = process.env['UPDATE_FIXTURES'] === '1';
const dir = mkdtempSync(join(tmpdir(), 'log-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const passportBytes = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'fixtures', 'passport.valid.json'),
);
const passport = JSON.parse(passportBytes.toString('utf8')) as AgentPassport;
const presentation: unknown = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'fixtures', 'presentation.valid.json'), 'utf8'),
);
const agent = passport.credentialSubject.id as DidKey;
const subAgent: DidKey = 'did:key:z6MkSubAgent';
const time = (second: number) => new Date(Date.UTC(2026, 5, 1, 12, 0, second));
const text = (s: string) => new TextEncoder().encode(s);
const accepted = { verified: true, checks: [], errors: [] } as const;

/** A signed call at `second`, with the passport inline and a body, unless `omit` drops them. */
function call(
  second: number,
  verification: RequestVerification,
  extra: Partial<Pick<RequestEvidence, 'delegations' | 'headers'>> = {},
  omit: readonly ('body' | 'passport')[] = [],
): RequestEvidence {
  return {
    kind: 'request',
    time: time(second),
    method: 'POST',
    url: `https://api.service.example/orders/${second}`,
    headers: {
      'signature-input': `sig1=("@method" "@target-uri" "content-digest" "agent-passport");created=${1780315200 + second};keyid="${agent}#k"`,
      signature: 'sig1=:c2lnbmF0dXJl:',
      'content-digest': 'sha-256=:ZGlnZXN0:',
      'agent-passport': passportBytes.toString('base64url'),
      'user-agent': 'not covered',
    },
    ...(omit.includes('body') ? {} : { body: text(`{"order":${second}}`) }),
    ...(omit.includes('passport') ? {} : { passport: passportBytes }),
    requiredScopes: ['orders:write'],
    verification,
    ...extra,
  };
}

it('writes the same bytes as before: entries, head, rotation, repair', async () => {
  const path = join(dir, 'e.jsonl');
  let log = openEvidenceLog(path, { keepBodies: true, maxFileBytes: 4096 });
  // One batch (one turn), over 4096 bytes: the file rotates after it.
  await Promise.all([
    log.record(call(1, { ...accepted, agent, passport })),
    log.record(
      call(
        2,
        {
          verified: false,
          checks: [],
          errors: [{ code: 'ERR_SIG_EXPIRED', message: 'expired' }],
          keyId: `${agent}#k`,
        },
        { headers: { 'signature-input': 'garbage((' } },
        ['body', 'passport'],
      ),
    ),
    log.recordPresentation({
      time: time(3),
      presentation,
      challenge: 'fixture-challenge-7f3a',
      domain: 'api.service.example',
      verification: { ...accepted, passport },
    }),
    log.recordEvent({ time: time(4), event: 'login-refused', code: 'ERR_LOGIN_EXCHANGE_EXPIRED', ref: 'x1' }),
  ]);
  await log.recordEvent({ time: time(5), event: 'login-exchange', ref: 'x2', agent });
  log.close();
  appendFileSync(path, '{"v":1,"seq":7,"torn');
  log = openEvidenceLog(path, { maxFileBytes: 4096 });
  const principals = ['did:web:acme.example', agent, subAgent];
  await Promise.all([
    log.record(
      call(
        6,
        { ...accepted, agent: subAgent, passport, delegation: { principals, chain: [], ref: 'chain-ref' } },
        { delegations: text('[{"delegation":1}]') },
      ),
    ),
    log.record(call(7, { ...accepted, passport })),
    log.recordEvent({ time: time(8), event: 'session-revoked', ref: 's1' }),
  ]);
  await expect(log.recordEvent({ time: time(9), event: 'nonsense' as 'login-exchange' })).rejects.toThrow(
    TypeError,
  );
  log.close();

  const files = readdirSync(dir)
    .filter((f) => !f.endsWith('.lock'))
    .sort();
  expect(files).toEqual(['e.000001.jsonl', 'e.jsonl', 'e.jsonl.head']);
  if (update) {
    mkdirSync(expected, { recursive: true });
    for (const f of files) writeFileSync(join(expected, f), readFileSync(join(dir, f)));
  }
  expect(readdirSync(expected).sort()).toEqual(files);
  for (const f of files)
    expect(readFileSync(join(dir, f), 'utf8'), f).toBe(readFileSync(join(expected, f), 'utf8'));
});
