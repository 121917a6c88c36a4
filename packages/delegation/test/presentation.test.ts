// SPDX-License-Identifier: Apache-2.0
// The chain in a presentation: signed by the sub-agent, bound to the verifier's challenge and domain.
import { describe, expect, it } from 'vitest';
import { CHAIN_CHECK_NAMES, presentChain } from '../src/index.js';
import { agent, link, minutes, ORIGIN, org, planner, plannerPassport, verifier } from './world.js';

const researcher = agent();
const mallory = agent();

async function setup() {
  const passport = await plannerPassport();
  const delegation = await link(passport, planner, researcher);
  const vp = await presentChain({
    passport,
    delegations: [delegation],
    signer: researcher.signer,
    challenge: 'c-123',
    domain: ORIGIN,
    now: minutes(1),
  });
  return { passport, delegation, vp };
}

describe('chain presentations', () => {
  it('accepts the presentation and names the chain', async () => {
    const { vp } = await setup();
    const result = await verifier().verifyPresentation(JSON.stringify(vp), {
      challenge: 'c-123',
      domain: ORIGIN,
      requiredScopes: ['read:arxiv/papers'],
    });
    expect(result.errors).toEqual([]);
    expect(result.checks.map((c) => c.name)).toEqual(['presentation', ...CHAIN_CHECK_NAMES]);
    expect(result.principals).toEqual([org.did, planner.did, researcher.did]);
  });

  it('refuses another challenge, another domain (a replay against another service), another holder', async () => {
    const { vp, passport, delegation } = await setup();
    const v = verifier();
    const codes = async (input: unknown, challenge: string, domain: string) =>
      (await v.verifyPresentation(input, { challenge, domain })).errors.map((e) => e.code);
    expect(await codes(vp, 'c-other', ORIGIN)).toEqual(['ERR_CHALLENGE_MISMATCH']);
    expect(await codes(vp, 'c-123', 'https://other.example')).toEqual(['ERR_DOMAIN_MISMATCH']);
    const byMallory = await presentChain({
      passport,
      delegations: [delegation],
      signer: researcher.signer,
      challenge: 'c-123',
      domain: ORIGIN,
      now: minutes(1),
    }).then((p) => ({ ...p, holder: mallory.did }));
    expect(await codes(byMallory, 'c-123', ORIGIN)).toEqual(['ERR_HOLDER_MISMATCH']);
    await expect(
      presentChain({ passport, delegations: [delegation], signer: mallory.signer, challenge: 'c' }),
    ).rejects.toMatchObject({ code: 'ERR_HOLDER_MISMATCH' });
    expect(await codes({ ...vp, verifiableCredential: [passport] }, 'c-123', ORIGIN)).toEqual([
      'ERR_PRESENTATION_INVALID',
    ]);
    const result = await v.verifyPresentation(vp, { challenge: '' });
    expect(result.checks.filter((c) => c.skipped).length).toBe(CHAIN_CHECK_NAMES.length);
    expect(result.errors[0]?.code).toBe('ERR_CHALLENGE_MISMATCH');
  });
});
