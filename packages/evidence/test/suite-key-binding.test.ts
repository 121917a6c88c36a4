// SPDX-License-Identifier: Apache-2.0
// Attacker: documents whose genuine signatures carry a cryptosuite of another key type, given to
// the offline audit. Its re-verification binds the suite to the key type: neither verifies, and
// each says ERR_SUITE_KEY_MISMATCH.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Signer } from '@agent-passport/core';
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { didKeySigner } from '@agent-passport/suites';
import { afterAll, describe, expect, it } from 'vitest';
import { auditDocuments } from '../src/index.js';
import { at, createWorld, ORG } from './world.js';

/** The same key, claiming P-256: the stack then signs under ecdsa-jcs-2019. */
const asP256 = (s: Signer): Signer => ({ id: s.id, algorithm: 'P-256', sign: s.sign });

const world = createWorld(['solo-1']);
afterAll(() => rmSync(world.dir, { recursive: true, force: true }));

describe('the audit re-verification refuses a cryptosuite that is not the key type', () => {
  it('an Ed25519 passport labelled ecdsa-jcs-2019, and an Ed25519 holder proof labelled ecdsa-jcs-2019', async () => {
    await world.issueAll(at(0));
    const solo = world.agents.get('solo-1');
    if (solo === undefined) throw new Error('world');
    const relabelled = await issuePassport({
      issuer: { id: ORG, signer: asP256(world.signer), didDocument: world.document() },
      subject: solo.key.did,
      agentName: 'solo-1',
      purpose: 'operations',
      scopes: ['read:papers'],
      validUntil: at(60 * 24).toISOString(),
      cryptosuite: 'ecdsa-jcs-2019',
      now: at(1),
    });
    const vp = await createPresentation({
      passport: solo.passport,
      signer: asP256(didKeySigner(solo.key)),
      challenge: 'c-1',
      now: at(2),
    });
    const honest = await createPresentation({
      passport: solo.passport,
      signer: didKeySigner(solo.key),
      challenge: 'c-1',
      now: at(2),
    });
    const dir = join(world.dir, 'presented');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-passport.json'), JSON.stringify(relabelled));
    writeFileSync(join(dir, 'b-vp.json'), JSON.stringify(vp));
    writeFileSync(join(dir, 'c-honest-vp.json'), JSON.stringify(honest));
    const r = await auditDocuments(dir, {
      bundles: [await world.bundle(at(3))],
      authors: [world.operator.did],
    });
    expect(r.results.map((x) => [x.source, x.verified, x.code])).toEqual([
      ['a-passport.json', false, 'ERR_SUITE_KEY_MISMATCH'],
      ['b-vp.json', false, 'ERR_SUITE_KEY_MISMATCH'],
      ['c-honest-vp.json', true, undefined],
    ]);
  });
});
