// SPDX-License-Identifier: Apache-2.0
// Passports and presentations: the toolkit's verifier, configured from the page's trust and
// options exactly as `agent-passport verify` configures it from its flags; the raw text is what is
// verified (the verifier's own parse check sees exactly what was pasted).
import { createVerifier, type PassportVerification } from '@agent-passport/verifier';
import { credentialFields, presentationFields } from './summary.js';
import type { Trust } from './trust.js';
import { type Report, type RunSettings, words } from './types.js';

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
      problem: 'a presentation is verified against the challenge you issued: enter it in Options',
    };
  let result: PassportVerification;
  try {
    const verifier = createVerifier({
      trustedIssuers: trust.trustedIssuers,
      ...(trust.checkStatus === undefined ? {} : { checkStatus: trust.checkStatus }),
      ...(trust.trustValidUntil === undefined ? {} : { trustValidUntil: trust.trustValidUntil }),
      clock: () => settings.now,
      cacheSize: 0,
      ...(words(o.purposes).length === 0 ? {} : { acceptedPurposes: words(o.purposes) }),
      ...(o.origin.trim() === '' ? {} : { origin: o.origin.trim() }),
    });
    const requiredScopes = words(o.scopes);
    result = presentation
      ? await verifier.verifyPresentation(text, {
          challenge: o.challenge.trim(),
          ...(o.domain.trim() === '' ? {} : { domain: o.domain.trim() }),
          requiredScopes,
        })
      : await verifier.verifyCredential(text, { requiredScopes });
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
