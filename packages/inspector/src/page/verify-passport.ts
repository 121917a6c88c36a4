// SPDX-License-Identifier: Apache-2.0
// Passports and presentations: the toolkit's verifier, configured from the page's trust and
// options exactly as `agent-passport verify` configures it from its flags; the raw text is what is
// verified (the verifier's own parse check sees exactly what was pasted).
import { createVerifier, type PassportVerification } from '@agent-passport/verifier';
import { credentialFields, presentationFields } from './summary.js';
import type { Trust } from './trust.js';
import { type Report, type RunSettings, words } from './types.js';
import { NEEDS_CHALLENGE, presentationOptions, verifierOptions } from './verify-options.js';

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export async function verifyPassportText(
  text: string,
  presentation: boolean,
  trust: Trust,
  settings: RunSettings,
): Promise<Report> {
  const o = settings.options;
  const json = tryJson(text);
  const kind = presentation ? 'presentation' : 'passport';
  const summary =
    json === undefined ? [] : (presentation ? presentationFields : credentialFields)(json, settings.now);
  const base = { kind, summary, json, notes: trust.notes } as const;
  if (presentation && o.challenge.trim() === '')
    return {
      ...base,
      verified: undefined,
      codes: [],
      checks: [],
      problem: NEEDS_CHALLENGE,
    };
  let result: PassportVerification;
  try {
    const verifier = createVerifier({ ...verifierOptions(trust, settings), cacheSize: 0 });
    result = presentation
      ? await verifier.verifyPresentation(text, presentationOptions(settings))
      : await verifier.verifyCredential(text, { requiredScopes: words(o.scopes) });
  } catch (e) {
    return { ...base, verified: undefined, codes: [], checks: [], problem: (e as Error).message };
  }
  return {
    ...base,
    verified: result.verified,
    codes: result.errors.map((e) => e.code),
    checks: result.checks.map((c) => ({
      name: c.name,
      ok: c.ok,
      ...(c.skipped === true ? { skipped: true } : {}),
      ...(c.code === undefined ? {} : { code: c.code }),
      ...(c.message === undefined ? {} : { message: c.message }),
    })),
  };
}
