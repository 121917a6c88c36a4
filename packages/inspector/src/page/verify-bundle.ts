// SPDX-License-Identifier: Apache-2.0
// A trust bundle pasted as the document: verified against the author pinned in Trust, as of the
// chosen time; its issuers, their status lists and its validity shown.
import { verifyTrustBundle } from '@agent-passport/trust-bundle/bundle';
import { runPageChecks } from './checks.js';
import { validityText } from './time.js';
import type { Field, Report, RunSettings } from './types.js';

type Json = Record<string, unknown>;

function fields(bundle: Json | undefined, now: Date): Field[] {
  if (bundle === undefined) return [];
  const issuers = ((bundle['credentialSubject'] as Json | undefined)?.['trustedIssuers'] ?? []) as Json[];
  const out: Field[] = [];
  if (typeof bundle['issuer'] === 'string') out.push({ label: 'author', value: bundle['issuer'], did: true });
  out.push({ label: 'validity', value: validityText(bundle['validFrom'], bundle['validUntil'], now) });
  for (const i of Array.isArray(issuers) ? issuers : []) {
    const lists = Array.isArray(i['statusLists']) ? i['statusLists'].length : 0;
    out.push({
      label: 'trusts',
      value: `${String(i['id'])} (${lists} status list${lists === 1 ? '' : 's'})`,
    });
  }
  return out;
}

export async function verifyBundleText(text: string, settings: RunSettings): Promise<Report> {
  let json: Json | undefined;
  try {
    json = JSON.parse(text) as Json;
  } catch {
    json = undefined;
  }
  const author = settings.trust.bundleAuthor.trim();
  const base = { kind: 'bundle' as const, summary: fields(json, settings.now), json, notes: [] };
  if (author === '')
    return {
      ...base,
      verified: undefined,
      codes: [],
      checks: [],
      problem: 'a bundle is verified against the author you pin: enter it in Trust',
    };
  const outcome = await runPageChecks([
    ['bundle', () => verifyTrustBundle(text, { authors: [author], now: settings.now }).then(() => undefined)],
  ]);
  return { ...base, ...outcome, notes: [`pinned author: ${author}`] };
}
