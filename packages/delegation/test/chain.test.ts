// SPDX-License-Identifier: Apache-2.0
// The chain verifier on honest chains: one call, every check named in order, the chain named from
// the organisation down to the presenting agent.
import { describe, expect, it } from 'vitest';
import { CHAIN_CHECK_NAMES, credentialDigest } from '../src/index.js';
import { agent, link, ORIGIN, org, planner, plannerPassport, verifier } from './world.js';

const researcher = agent();
const fetcher = agent('P-256');

describe('verifyChain', () => {
  it('accepts organisation → planner → researcher, names the chain and runs every check in order', async () => {
    const passport = await plannerPassport();
    const delegation = await link(passport, planner, researcher);
    expect(delegation.credentialSubject.parentCredential).toEqual({
      id: passport.id,
      digestMultibase: credentialDigest(passport),
    });
    const result = await verifier().verifyChain(
      { passport, delegations: [delegation] },
      { presenter: researcher.did, requiredScopes: ['read:arxiv/papers'] },
    );
    expect(result.errors).toEqual([]);
    expect(result.verified).toBe(true);
    expect(result.checks.map((c) => c.name)).toEqual([...CHAIN_CHECK_NAMES]);
    expect(result.checks.every((c) => c.ok)).toBe(true);
    expect(result.principals).toEqual([org.did, planner.did, researcher.did]);
    expect(result.agent).toBe(researcher.did);
    expect(result.scopes).toEqual(['read:arxiv/papers']);
    expect(result.chain?.map((c) => c.id)).toEqual([passport.id, delegation.id]);
    expect(result.chain?.[1]?.digestMultibase).toBe(credentialDigest(delegation));
  });

  it('accepts a depth-2 chain (the middle agent re-delegates with an audience) with a P-256 leaf', async () => {
    const passport = await plannerPassport();
    const middle = await link(passport, planner, researcher, { maxDepth: 1, scopes: ['read:arxiv/*'] });
    const leaf = await link(middle, researcher, fetcher, { scopes: ['read:arxiv/papers/2026'] });
    const result = await verifier().verifyChain(
      { passport, delegations: [middle, leaf] },
      { presenter: fetcher.did, requiredScopes: ['read:arxiv/papers/2026'] },
    );
    expect(result.errors).toEqual([]);
    expect(result.principals).toEqual([org.did, planner.did, researcher.did, fetcher.did]);
  });

  it('accepts a chain given as JSON text, and a second time from its link cache', async () => {
    const passport = await plannerPassport();
    const delegation = await link(passport, planner, researcher);
    const v = verifier();
    for (let i = 0; i < 2; i++) {
      const result = await v.verifyChain(
        { passport: JSON.stringify(passport), delegations: [JSON.stringify(delegation)] },
        { presenter: researcher.did },
      );
      expect(result.errors).toEqual([]);
    }
  });

  it('refuses a delegated call that needs a scope the leaf does not hold (ERR_SCOPE_DENIED)', async () => {
    const passport = await plannerPassport();
    const delegation = await link(passport, planner, researcher);
    const result = await verifier().verifyChain(
      { passport, delegations: [delegation] },
      { presenter: researcher.did, requiredScopes: ['write:notes'] },
    );
    expect(result.errors.map((e) => e.code)).toEqual(['ERR_SCOPE_DENIED']);
    expect(result.checks.at(-1)).toMatchObject({ name: 'required-scopes', ok: false });
  });

  it('refuses malformed chains and links (ERR_DELEGATION_INVALID) without throwing', async () => {
    const passport = await plannerPassport();
    const v = verifier();
    for (const input of [
      null,
      { passport },
      { passport, delegations: [] },
      { passport, delegations: ['{"a":1}'] },
      {
        passport,
        delegations: [{ ...(await link(passport, planner, researcher)), type: ['VerifiableCredential'] }],
      },
    ]) {
      const result = await v.verifyChain(input as never, { presenter: researcher.did });
      expect(result.verified).toBe(false);
      expect(result.errors[0]?.code).toBe('ERR_DELEGATION_INVALID');
    }
    expect(ORIGIN).toBe('https://api.example');
  });
});
