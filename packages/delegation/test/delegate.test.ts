// SPDX-License-Identifier: Apache-2.0
// delegate() refuses to sign what the chain verifier would refuse, with the same code.

import { AGENT_DELEGATION_V1_CONTEXT } from '@agent-passport/contexts';
import { isPassportError } from '@agent-passport/core';
import { describe, expect, it } from 'vitest';
import { delegate } from '../src/index.js';
import { agent, link, minutes, NOW, planner, plannerPassport } from './world.js';

const b = agent();
const mallory = agent();

async function code(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    expect(isPassportError(error)).toBe(true);
    return (error as { code: string }).code;
  }
}

describe('delegate', () => {
  it('makes an AgentDelegation under the delegation context, eddsa-jcs-2022 or ecdsa-jcs-2019', async () => {
    const passport = await plannerPassport();
    const made = await link(passport, planner, b, { purpose: 'fetch papers', maxCalls: 5 });
    expect(made['@context']).toContain(AGENT_DELEGATION_V1_CONTEXT);
    expect(made.type).toEqual(['VerifiableCredential', 'AgentDelegation']);
    expect(made.issuer).toBe(planner.did);
    expect(made.credentialSubject).toMatchObject({
      id: b.did,
      maxDepth: 0,
      maxCalls: 5,
      purpose: 'fetch papers',
    });
    expect(made.proof.cryptosuite).toBe('eddsa-jcs-2022');
    const p256 = agent('P-256');
    const again = await link(made, b, p256, { maxDepth: 0 }).catch((e) => e);
    expect(isPassportError(again, 'ERR_DELEGATION_DEPTH')).toBe(true);
    const fromP256 = await plannerPassport({ subject: p256.did });
    const signed = await link(fromP256, p256, b);
    expect(signed.proof.cryptosuite).toBe('ecdsa-jcs-2019');
  });

  it('refuses every rule the verifier checks, with its code', async () => {
    const passport = await plannerPassport({ maxCalls: 10 });
    expect(await code(link(passport, planner, b, { scopes: ['write:code'] }))).toBe(
      'ERR_DELEGATION_SCOPE_WIDENED',
    );
    expect(await code(link(passport, planner, b, { validUntil: minutes(61) }))).toBe('ERR_DELEGATION_WINDOW');
    expect(await code(link(passport, planner, b, { maxDepth: 2 }))).toBe('ERR_DELEGATION_DEPTH');
    expect(
      await code(
        link(passport, planner, b, { maxDepth: 1, audience: undefined } as unknown as { maxDepth: number }),
      ),
    ).toBe('ERR_DELEGATION_AUDIENCE');
    expect(await code(link(passport, planner, b, { maxCalls: 11 }))).toBe('ERR_DELEGATION_MAX_CALLS');
    expect(await code(link(passport, mallory, b, { maxCalls: 1 }))).toBe('ERR_DELEGATION_SIGNER');
    expect(await code(link(passport, planner, b, { scopes: ['Read:x'], maxCalls: 1 }))).toBe(
      'ERR_DELEGATION_INVALID',
    );
    expect(await code(link(passport, planner, b, { validUntil: NOW, maxCalls: 1 }))).toBe(
      'ERR_VALIDITY_WINDOW',
    );
    expect(await code(link(passport, planner, { ...b, did: 'did:web:x' }, { maxCalls: 1 }))).toBe(
      'ERR_DID_INVALID',
    );
    const closed = await plannerPassport({ delegation: { allowed: false } });
    expect(await code(link(closed, planner, b))).toBe('ERR_DELEGATION_NOT_ALLOWED');
    await expect(delegate(null as never)).rejects.toThrow(TypeError);
  });
});
