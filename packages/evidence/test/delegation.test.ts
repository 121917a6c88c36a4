// SPDX-License-Identifier: Apache-2.0
// A delegated call in the evidence log: the entry names the sub-agent and the chain, and the audit
// re-verifies the chain and names it (who acted, on whose authority).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createDelegationVerifier, delegate } from '@agent-passport/delegation';
import {
  DELEGATION_HEADER,
  DELEGATION_REF_HEADER,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  passportRef,
  signRequest,
} from '@agent-passport/http-signatures';
import { issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { createRequestVerifier } from '@agent-passport/middleware';
import { createStatusChecker } from '@agent-passport/status';
import { didKeySigner } from '@agent-passport/suites';
import { createVerifier } from '@agent-passport/verifier';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLog, openEvidenceLog } from '../src/index.js';
import { at, createWorld, ORG } from './world.js';

const world = createWorld([]);
afterAll(() => rmSync(world.dir, { recursive: true, force: true }));
const ORIGIN = 'https://api.acme.example';

describe('delegated calls in the evidence log', () => {
  it('records the chain, and the audit re-verifies it and names organisation → planner → sub-agent', async () => {
    const planner = generateKey();
    const sub = generateKey();
    const passport = await issuePassport({
      issuer: { id: ORG, signer: world.signer, didDocument: world.document() },
      subject: planner.did,
      agentName: 'planner',
      purpose: 'research planning',
      scopes: ['read:arxiv/*'],
      validUntil: at(24 * 60),
      delegation: { allowed: true, maxDepth: 1 },
      now: at(0),
    });
    const link = await delegate({
      parent: passport,
      signer: didKeySigner(planner),
      subject: sub.did,
      scopes: ['read:arxiv/papers'],
      validUntil: at(60),
      audience: [ORIGIN],
      now: at(1),
    });
    const path = join(world.dir, 'delegated.jsonl');
    const log = openEvidenceLog(path);
    let now = at(10);
    const config = {
      trustedIssuers: [{ id: ORG, didDocument: world.document() }],
      checkStatus: createStatusChecker({ lists: await world.lists(at(10)) }),
      clock: () => now,
      origin: ORIGIN,
    };
    const requests = createRequestVerifier({
      verifier: createVerifier(config),
      delegation: createDelegationVerifier(config),
      clock: () => now,
      evidence: log,
    });
    const passportBytes = new TextEncoder().encode(JSON.stringify(passport));
    const chainBytes = new TextEncoder().encode(JSON.stringify([link]));
    const signer = didKeySigner(sub);
    for (const [minute, first] of [
      [11, true],
      [12, false],
    ] as const) {
      now = at(minute);
      const request = await signRequest(new Request(`${ORIGIN}/papers`), {
        keyId: signer.id,
        signer: (data) => signer.sign({ data }),
        created: Math.floor(now.getTime() / 1000),
        extraHeaders: first
          ? {
              [PASSPORT_HEADER]: Buffer.from(passportBytes).toString('base64url'),
              [DELEGATION_HEADER]: Buffer.from(chainBytes).toString('base64url'),
            }
          : {
              [PASSPORT_REF_HEADER]: passportRef(passportBytes),
              [DELEGATION_REF_HEADER]: passportRef(chainBytes),
            },
      });
      const r = await requests.verifyRequest(request, { requiredScopes: ['read:arxiv/papers'] });
      expect(r.errors).toEqual([]);
      expect(r.delegation?.principals).toEqual([ORG, planner.did, sub.did]);
    }
    log.close();
    const report = await auditLog(path, {
      bundles: [await world.bundle(at(30))],
      authors: [world.operator.did],
      workers: 0,
    });
    expect(report.problems).toEqual([]);
    expect(report.rows.map((r) => [r.outcome, r.agent, r.passportId])).toEqual([
      ['accepted', sub.did, passport.id],
      ['accepted', sub.did, passport.id],
    ]);
    for (const row of report.rows) expect(row.principals).toEqual([ORG, planner.did, sub.did]);
  });
});
