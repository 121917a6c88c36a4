// SPDX-License-Identifier: Apache-2.0
// Reused passport verifications held to fresh ones (issue 22): at random entry times, and at every
// threshold the verification compares the time with (one millisecond either side), a passport's
// verification through the audit's cache answers exactly as the passport verifier asked anew:
// across its validity window, its proof's creation, two status list versions (revoked between
// them), and the lists' age limit.
import { rmSync } from 'node:fs';
import { passportRef } from '@agent-passport/http-signatures';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CheckerContext, createCheckerContext } from '../src/checker-context.js';
import { at, createWorld } from './world.js';

const world = createWorld(['solo-1', 'other-2']);
afterAll(() => rmSync(world.dir, { recursive: true, force: true }));

const MIN = 60_000;
const DAY = 86_400_000;
let ctx: CheckerContext;
let thresholds: number[] = [];

beforeAll(async () => {
  await world.issueAll(at(0));
  const before = await world.bundle(at(3));
  await world.state.change({ subject: world.agents.get('solo-1')?.key.did as string }, 'revoke', at(5));
  const after = await world.bundle(at(6));
  ctx = await createCheckerContext({
    bundles: [before, after],
    authors: [world.operator.did],
    statusMaxAgeSeconds: 2 * 86_400,
  });
  const t0 = at(0).getTime();
  const instants = [t0, t0 + 3 * MIN, t0 + 6 * MIN, t0 + 90 * DAY];
  const offsets = [-MIN, 0, MIN, 2 * DAY + MIN];
  thresholds = instants.flatMap((i) => offsets.flatMap((o) => [i + o - 1, i + o, i + o + 1]));
});

const answer = (v: { verified: boolean; errors: readonly { code: string }[] }) =>
  v.verified ? 'verified' : (v.errors[0]?.code ?? 'refused');

describe('reused passport verifications', () => {
  it('answer as a fresh verification at every time, in any order', { timeout: 0 }, async () => {
    const t0 = at(0).getTime();
    const time = fc.oneof(fc.integer({ min: t0 - DAY, max: t0 + 95 * DAY }), fc.constantFrom(...thresholds));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(time, fc.constantFrom('solo-1', 'other-2'), fc.boolean()), { maxLength: 12 }),
        async (calls) => {
          for (const [ms, name, wider] of calls) {
            const bytes = world.agents.get(name)?.bytes as Uint8Array;
            const scopes = wider ? ['write:ledger', 'admin:all'] : ['write:ledger'];
            const now = new Date(ms);
            const reused = await ctx.passports.verify(passportRef(bytes), bytes, scopes, now);
            const fresh = await ctx.verifier.verifyCredential(bytes, { requiredScopes: scopes, now });
            expect(answer(reused), `${name} at ${now.toISOString()}`).toBe(answer(fresh));
          }
        },
      ),
      { numRuns: 150, seed: 22 },
    );
  });
});
