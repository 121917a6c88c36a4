// SPDX-License-Identifier: Apache-2.0
// The AgentDelegation context and schema: every delegation claim has a term (in the delegation
// context or the AgentPassport context it builds on), both contexts are protected, and the schema
// accepts what delegate() makes and refuses what it must.
import { AGENT_DELEGATION_V1_CONTEXT, AGENT_PASSPORT_V1_CONTEXT, CONTEXTS } from '@agent-passport/contexts';
import { AGENT_DELEGATION_SCHEMA, validateDelegationSchema } from '@agent-passport/schema';
import { describe, expect, it } from 'vitest';
import { agent, link, planner, plannerPassport } from './world.js';

const terms = (url: string) => (CONTEXTS.get(url) as { '@context': Record<string, unknown> })['@context'];

describe('the AgentDelegation context and schema', () => {
  it('defines every delegation claim, protected', () => {
    const delegation = terms(AGENT_DELEGATION_V1_CONTEXT);
    const passport = terms(AGENT_PASSPORT_V1_CONTEXT);
    expect(delegation['@protected']).toBe(true);
    expect(delegation['AgentDelegation']).toBeDefined();
    const subject = (AGENT_DELEGATION_SCHEMA['properties'] as Record<string, { properties: object }>)[
      'credentialSubject'
    ]?.properties as Record<string, unknown>;
    for (const claim of Object.keys(subject).filter((k) => k !== 'id'))
      expect(delegation[claim] ?? passport[claim], claim).toBeDefined();
    // No term is defined twice (protected contexts refuse a redefinition).
    for (const term of Object.keys(delegation).filter((k) => !k.startsWith('@')))
      expect(passport[term], term).toBeUndefined();
  });

  it('accepts what delegate() makes; refuses a bad digest, an extra claim, a did:web subject', async () => {
    const made = await link(await plannerPassport(), planner, agent());
    expect(validateDelegationSchema(made)).toEqual({ ok: true });
    const subject = made.credentialSubject;
    for (const bad of [
      { ...subject, parentCredential: { ...subject.parentCredential, digestMultibase: 'uEiX' } },
      { ...subject, extra: 1 },
      { ...subject, id: 'did:web:example.com' },
      { ...subject, maxDepth: 9 },
    ])
      expect(validateDelegationSchema({ ...made, credentialSubject: bad }).ok).toBe(false);
  });
});
