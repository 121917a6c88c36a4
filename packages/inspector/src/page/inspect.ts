// SPDX-License-Identifier: Apache-2.0
// One inspection: read the trust, tell what the text is (or take the kind the user chose), and
// verify it with the toolkit's own code. No DOM here: render.ts shows the report.
import { detectKind } from './detect.js';
import { readTrust } from './trust.js';
import type { Kind, Report, RunSettings } from './types.js';
import { verifyBundleText } from './verify-bundle.js';
import { verifyDelegationText } from './verify-delegation.js';
import { verifyEvidenceText } from './verify-evidence.js';
import { verifyPassportText } from './verify-passport.js';
import { verifyProofText } from './verify-proof.js';
import { verifyRequestText } from './verify-request.js';

/** The time to verify as of: the given date-time, or now. */
export function asOf(text: string): Date {
  if (text.trim() === '') return new Date();
  const ms = Date.parse(text.trim());
  if (Number.isNaN(ms)) throw new RangeError(`"${text}" is not a date and time (e.g. 2026-06-01T12:00:00Z)`);
  return new Date(ms);
}

export async function inspect(
  text: string,
  chosen: Kind | 'auto',
  settings: RunSettings,
): Promise<Report & { trustProblems: readonly string[] }> {
  const kind = chosen === 'auto' ? detectKind(text) : chosen;
  const trust = await readTrust(settings.trust, settings.now);
  const report = await (async (): Promise<Report> => {
    switch (kind) {
      case 'passport':
      case 'presentation':
        return verifyPassportText(text, kind === 'presentation', trust, settings);
      case 'delegation':
        return verifyDelegationText(text, trust, settings);
      case 'proof':
        return verifyProofText(text, trust, settings);
      case 'request':
        return verifyRequestText(text, settings);
      case 'bundle':
        return verifyBundleText(text, settings);
      case 'evidence':
        return verifyEvidenceText(text, trust, settings);
    }
  })();
  return { ...report, trustProblems: trust.problems };
}
