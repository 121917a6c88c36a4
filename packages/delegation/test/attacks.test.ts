// SPDX-License-Identifier: Apache-2.0
// Attacks on delegation chains (issue 18): each one is refused by the verifier with its code.
import type { ErrorCode } from '@agent-passport/core';
import { describe, expect, it } from 'vitest';
import { credentialDigest } from '../src/index.js';
import {
  agent,
  forge,
  link,
  minutes,
  ORIGIN,
  org,
  planner,
  plannerPassport,
  statusChecker,
  statusEntry,
  verifier,
} from './world.js';

const b = agent();
const c = agent();
const d = agent();
const mallory = agent();

type Input = Parameters<ReturnType<typeof verifier>['verifyChain']>[0];
async function refusal(input: Input, presenter: string, v = verifier()): Promise<ErrorCode[]> {
  const result = await v.verifyChain(input, { presenter });
  expect(result.verified).toBe(false);
  expect(result.chain).toBeUndefined();
  return result.errors.map((e) => e.code);
}

describe('delegation chain attacks', () => {
  it('widening a scope', async () => {
    const passport = await plannerPassport();
    const honest = await link(passport, planner, b);
    const wide = await forge(honest, planner, { subject: { scopes: ['read:arxiv/papers', 'write:code'] } });
    expect(await refusal({ passport, delegations: [wide] }, b.did)).toEqual(['ERR_DELEGATION_SCOPE_WIDENED']);
  });

  it('a wildcard that is not narrower (action, resource, and a wildcard under a concrete parent)', async () => {
    const passport = await plannerPassport();
    const honest = await link(passport, planner, b);
    for (const scopes of [['read:*'], ['*:arxiv/papers'], ['read:arxiv'], ['read:arxivx/*']]) {
      const wide = await forge(honest, planner, { subject: { scopes } });
      expect(await refusal({ passport, delegations: [wide] }, b.did)).toEqual([
        'ERR_DELEGATION_SCOPE_WIDENED',
      ]);
    }
    const middle = await link(passport, planner, b, { maxDepth: 1 });
    const leaf = await link(middle, b, c);
    const under = await forge(leaf, b, { subject: { scopes: ['read:arxiv/papers/*'] } });
    expect(await refusal({ passport, delegations: [middle, under] }, c.did)).toEqual([
      'ERR_DELEGATION_SCOPE_WIDENED',
    ]);
  });

  it('a link signed by someone only named as its issuer', async () => {
    const passport = await plannerPassport();
    const honest = await link(passport, planner, b);
    const byMallory = await forge(honest, mallory, { subject: { id: mallory.did } });
    expect(byMallory.issuer).toBe(planner.did);
    expect(await refusal({ passport, delegations: [byMallory] }, mallory.did)).toEqual([
      'ERR_DELEGATION_SIGNER',
    ]);
    // Naming the planner's key in the proof does not help: the signature is not the planner's.
    const claimed = structuredClone(byMallory) as unknown as { proof: { verificationMethod: string } };
    claimed.proof.verificationMethod = `${planner.did}#${planner.did.slice('did:key:'.length)}`;
    expect(await refusal({ passport, delegations: [claimed as never] }, mallory.did)).toEqual([
      'ERR_PROOF_INVALID',
    ]);
    // And issuing as oneself, signed by oneself, does not chain to the planner's passport.
    const selfIssued = await forge(honest, mallory, { top: { issuer: mallory.did } });
    expect(await refusal({ passport, delegations: [selfIssued] }, b.did)).toEqual(['ERR_DELEGATION_SIGNER']);
  });

  it('a chain whose parent digest does not match (a link made under another passport)', async () => {
    const passport = await plannerPassport();
    const narrower = await plannerPassport({ id: passport.id, scopes: ['read:arxiv/papers'] });
    const made = await link(passport, planner, b);
    expect(await refusal({ passport: narrower, delegations: [made] }, b.did)).toEqual([
      'ERR_DELEGATION_PARENT_MISMATCH',
    ]);
    const edited = await forge(made, planner, {
      subject: { parentCredential: { id: passport.id, digestMultibase: credentialDigest({ other: 1 }) } },
    });
    expect(await refusal({ passport, delegations: [edited] }, b.did)).toEqual([
      'ERR_DELEGATION_PARENT_MISMATCH',
    ]);
  });

  it('a swapped middle link', async () => {
    const passport = await plannerPassport({ delegation: { allowed: true, maxDepth: 3 } });
    const l1 = await link(passport, planner, b, { maxDepth: 2, scopes: ['read:arxiv/*'] });
    const l2 = await link(l1, b, c, { maxDepth: 1, scopes: ['read:arxiv/*'] });
    const l3 = await link(l2, c, d);
    const honest = await verifier().verifyChain(
      { passport, delegations: [l1, l2, l3] },
      { presenter: d.did },
    );
    expect(honest.errors).toEqual([]);
    expect(await refusal({ passport, delegations: [l1, l3, l2] }, c.did)).toEqual([
      'ERR_DELEGATION_PARENT_MISMATCH',
    ]);
    // A middle link from another chain (same agents, another delegation) does not fit either.
    const other = await link(l1, b, c, { maxDepth: 1, scopes: ['read:arxiv/*'], validUntil: minutes(9) });
    expect(await refusal({ passport, delegations: [l1, other, l3] }, d.did)).toEqual([
      'ERR_DELEGATION_PARENT_MISMATCH',
    ]);
  });

  it("depth beyond an ancestor's maxDepth, beyond the verifier's cap, and under a passport that allows none", async () => {
    const passport = await plannerPassport({ delegation: { allowed: true, maxDepth: 1 } });
    const l1 = await link(passport, planner, b);
    // b may not delegate (maxDepth 0), signs a link to c anyway.
    const deeper = await forge(l1, b, {
      subject: {
        id: c.did,
        parentCredential: { id: l1.id, digestMultibase: credentialDigest(l1) },
      },
      top: { id: 'urn:uuid:00000000-0000-4000-8000-000000000002', issuer: b.did },
    });
    expect(await refusal({ passport, delegations: [l1, deeper] }, c.did)).toEqual(['ERR_DELEGATION_DEPTH']);
    // A link claiming more depth than its parent has left.
    const greedy = await forge(l1, planner, { subject: { maxDepth: 1 } });
    expect(await refusal({ passport, delegations: [greedy] }, b.did)).toEqual(['ERR_DELEGATION_DEPTH']);
    // The verifier's own cap.
    const deep = await plannerPassport({ delegation: { allowed: true, maxDepth: 2 } });
    const m1 = await link(deep, planner, b, { maxDepth: 1, scopes: ['read:arxiv/*'] });
    const m2 = await link(m1, b, c);
    expect(
      await refusal({ passport: deep, delegations: [m1, m2] }, c.did, verifier({ maxChainLength: 1 })),
    ).toEqual(['ERR_DELEGATION_DEPTH']);
    const closed = await plannerPassport({ delegation: { allowed: false } });
    const underClosed = await forge(l1, planner, {
      subject: { parentCredential: { id: closed.id, digestMultibase: credentialDigest(closed) } },
    });
    expect(await refusal({ passport: closed, delegations: [underClosed] }, b.did)).toEqual([
      'ERR_DELEGATION_NOT_ALLOWED',
    ]);
  });

  it('a loop A → B → A', async () => {
    const passport = await plannerPassport();
    const ab = await link(passport, planner, b, { maxDepth: 1, scopes: ['read:arxiv/*'] });
    const ba = await link(ab, b, planner);
    expect(await refusal({ passport, delegations: [ab, ba] }, planner.did)).toEqual(['ERR_DELEGATION_LOOP']);
  });

  it('a link valid after its parent expires (refused, never clamped)', async () => {
    const passport = await plannerPassport();
    const honest = await link(passport, planner, b);
    const outliving = await forge(honest, planner, { top: { validUntil: minutes(90).toISOString() } });
    expect(await refusal({ passport, delegations: [outliving] }, b.did)).toEqual(['ERR_DELEGATION_WINDOW']);
    const early = await forge(honest, planner, { top: { validFrom: minutes(-5).toISOString() } });
    expect(await refusal({ passport, delegations: [early] }, b.did)).toEqual(['ERR_DELEGATION_WINDOW']);
  });

  it('a missing or wrong audience', async () => {
    const passport = await plannerPassport();
    const honest = await link(passport, planner, b, { maxDepth: 1 });
    const { audience: _dropped, ...withoutAudience } = honest.credentialSubject;
    const missing = await forge(
      { ...honest, credentialSubject: withoutAudience as typeof honest.credentialSubject },
      planner,
      {},
    );
    expect(await refusal({ passport, delegations: [missing] }, b.did)).toEqual(['ERR_DELEGATION_AUDIENCE']);
    const wrong = await link(passport, planner, b, { audience: ['https://other.example'] });
    expect(await refusal({ passport, delegations: [wrong] }, b.did)).toEqual(['ERR_DELEGATION_AUDIENCE']);
    // A verifier that does not say who it is cannot accept a link that names an audience.
    expect(
      await refusal({ passport, delegations: [honest] }, b.did, verifier({ origin: undefined as never })),
    ).toEqual(['ERR_DELEGATION_AUDIENCE']);
  });

  it('a chain replayed against another service', async () => {
    const passport = await plannerPassport();
    const honest = await link(passport, planner, b);
    const elsewhere = verifier({ origin: 'https://other.example' });
    expect(await refusal({ passport, delegations: [honest] }, b.did, elsewhere)).toEqual([
      'ERR_DELEGATION_AUDIENCE',
    ]);
  });

  it('a revoked middle link kills the chain; a link with status and no checker fails closed', async () => {
    const passport = await plannerPassport();
    const middle = await link(passport, planner, b, {
      maxDepth: 1,
      scopes: ['read:arxiv/*'],
      credentialStatus: statusEntry(5),
    });
    const leaf = await link(middle, b, c);
    const input = { passport, delegations: [middle, leaf] };
    const clear = await verifier({ checkStatus: await statusChecker(planner, [4]) }).verifyChain(input, {
      presenter: c.did,
    });
    expect(clear.errors).toEqual([]);
    const revoked = verifier({ checkStatus: await statusChecker(planner, [5]) });
    expect(await refusal(input, c.did, revoked)).toEqual(['ERR_REVOKED']);
    expect(await refusal(input, c.did)).toEqual(['ERR_STATUS_UNAVAILABLE']);
    // A list signed by someone else than the delegating agent proves nothing.
    const byMallory = verifier({ checkStatus: await statusChecker(mallory, []) });
    expect(await refusal(input, c.did, byMallory)).toEqual(['ERR_STATUS_LIST_UNSIGNED']);
  });

  it('an expired or revoked ancestor passport kills the chain', async () => {
    const passport = await plannerPassport({ credentialStatus: statusEntry(7) });
    const honest = await link(passport, planner, b);
    const input = { passport, delegations: [honest] };
    const late = verifier({ clock: () => minutes(61), checkStatus: await statusChecker(org, []) });
    expect(await refusal(input, b.did, late)).toEqual(['ERR_EXPIRED']);
    const revoked = verifier({ checkStatus: await statusChecker(org, [7]) });
    expect(await refusal(input, b.did, revoked)).toEqual(['ERR_REVOKED']);
    const expiredLink = verifier({ clock: () => minutes(11), checkStatus: await statusChecker(org, []) });
    expect(await refusal(input, b.did, expiredLink)).toEqual(['ERR_EXPIRED']);
    const later = await link(passport, planner, b, { validFrom: minutes(5) });
    const early = verifier({ checkStatus: await statusChecker(org, []) });
    expect(await refusal({ passport, delegations: [later] }, b.did, early)).toEqual(['ERR_NOT_YET_VALID']);
  });

  it('a leaf presented by an agent other than its subject', async () => {
    const passport = await plannerPassport();
    const honest = await link(passport, planner, b);
    expect(await refusal({ passport, delegations: [honest] }, mallory.did)).toEqual(['ERR_HOLDER_MISMATCH']);
    expect(await refusal({ passport, delegations: [honest] }, planner.did)).toEqual(['ERR_HOLDER_MISMATCH']);
  });

  it('a link allowing more calls than its parent, or uncounted calls under a counted parent', async () => {
    const passport = await plannerPassport({ maxCalls: 100 });
    const honest = await link(passport, planner, b, { maxCalls: 10 });
    const more = await forge(honest, planner, { subject: { maxCalls: 101 } });
    expect(await refusal({ passport, delegations: [more] }, b.did)).toEqual(['ERR_DELEGATION_MAX_CALLS']);
    const { maxCalls: _dropped, ...uncounted } = honest.credentialSubject;
    const unlimited = await forge(
      { ...honest, credentialSubject: uncounted as typeof honest.credentialSubject },
      planner,
      {},
    );
    expect(await refusal({ passport, delegations: [unlimited] }, b.did)).toEqual([
      'ERR_DELEGATION_MAX_CALLS',
    ]);
    expect(ORIGIN).toBe('https://api.example');
  });
});
