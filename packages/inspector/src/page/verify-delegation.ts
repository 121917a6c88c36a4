// SPDX-License-Identifier: Apache-2.0
// A delegation chain: the organisation's passport, then each delegation, root first (a JSON list,
// `{ passport, delegations }`, or a presentation of them). Verified by the delegation package's
// verifier with the page's trust and options; a bare chain has no proof of possession, so the leaf's
// subject is taken as the presenter (the page says so).
import { createDelegationVerifier, type DelegationChainInput } from '@agent-passport/delegation';
import { credentialFields } from './summary.js';
import type { Trust } from './trust.js';
import { type Field, type Report, type RunSettings, words } from './types.js';
import { NEEDS_CHALLENGE, presentationOptions, verifierOptions } from './verify-options.js';

type Json = Record<string, unknown>;

const types = (v: unknown): unknown[] => {
  const t = (v as Json | null)?.['type'];
  return Array.isArray(t) ? t : [t];
};

/** The chain in any of its pasted forms, or undefined when it is none of them. */
export function chainOf(value: unknown): DelegationChainInput | undefined {
  if (Array.isArray(value) && value.length >= 2 && types(value[0]).includes('AgentPassport'))
    return { passport: value[0], delegations: value.slice(1) };
  const o = value as Json | null;
  if (o !== null && typeof o === 'object' && 'passport' in o && Array.isArray(o['delegations']))
    return { passport: o['passport'], delegations: o['delegations'] as unknown[] };
  return undefined;
}

/** Whether a presentation carries delegations (it presents a chain, not a passport). */
export function presentsChain(value: unknown): boolean {
  const vcs = (value as Json | null)?.['verifiableCredential'];
  return Array.isArray(vcs) && vcs.some((vc) => types(vc).includes('AgentDelegation'));
}

function fields(chain: DelegationChainInput | undefined, now: Date): Field[] {
  if (chain === undefined) return [];
  const out = credentialFields(chain.passport, now);
  chain.delegations.forEach((d, i) => {
    const s = ((d as Json)?.['credentialSubject'] ?? {}) as Json;
    const scopes = Array.isArray(s['scopes']) ? s['scopes'].join(' ') : '';
    out.push({ label: `link ${i + 1} to`, value: String(s['id']), did: true });
    out.push({
      label: `link ${i + 1} scopes`,
      value: `${scopes}; valid until ${String((d as Json)?.['validUntil'])}`,
    });
  });
  return out;
}

function unpacked(value: unknown): DelegationChainInput | undefined {
  const chain = chainOf(value);
  if (chain !== undefined) return chain;
  const vcs = (value as Json | null)?.['verifiableCredential'];
  return Array.isArray(vcs) ? chainOf(vcs) : undefined;
}

export async function verifyDelegationText(
  text: string,
  trust: Trust,
  settings: RunSettings,
): Promise<Report> {
  const o = settings.options;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const chain = unpacked(json);
  const presentation = chainOf(json) === undefined && presentsChain(json);
  const leaf = (chain?.delegations.at(-1) as Json | undefined)?.['credentialSubject'] as Json | undefined;
  const base = { kind: 'delegation' as const, summary: fields(chain, settings.now), json };
  if (presentation && o.challenge.trim() === '')
    return {
      ...base,
      verified: undefined,
      codes: [],
      checks: [],
      notes: [],
      problem: NEEDS_CHALLENGE,
    };
  let r: Awaited<ReturnType<ReturnType<typeof createDelegationVerifier>['verifyChain']>>;
  try {
    const verifier = createDelegationVerifier(verifierOptions(trust, settings));
    r = presentation
      ? await verifier.verifyPresentation(json, presentationOptions(settings))
      : await verifier.verifyChain(chain ?? { passport: json, delegations: [] }, {
          presenter: typeof leaf?.['id'] === 'string' ? leaf['id'] : '',
          requiredScopes: words(o.scopes),
        });
  } catch (e) {
    return { ...base, verified: undefined, codes: [], checks: [], notes: [], problem: (e as Error).message };
  }
  return {
    ...base,
    verified: r.verified,
    codes: r.errors.map((e) => e.code),
    checks: r.checks.map((c) => ({ ...c })),
    notes: [
      ...(presentation
        ? []
        : [
            "a bare chain proves no possession: the holder check takes the last link's subject as the presenter",
          ]),
      ...(r.principals === undefined ? [] : [`on whose authority: ${r.principals.join(' → ')}`]),
      ...trust.notes,
    ],
  };
}
