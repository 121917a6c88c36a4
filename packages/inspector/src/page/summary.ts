// SPDX-License-Identifier: Apache-2.0
// The readable layout of a passport (or of the passport a presentation carries): the fields a
// person looks at first, read from the document as pasted, verified or not.
import { validityText } from './time.js';
import type { Field } from './types.js';

type Json = Record<string, unknown>;
const object = (v: unknown): Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {};
const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));
const isDid = (v: unknown) => typeof v === 'string' && v.startsWith('did:');

/** Push a line when the value is there. */
function add(out: Field[], label: string, value: unknown): void {
  if (value === undefined || value === null || value === '') return;
  out.push({ label, value: text(value), ...(isDid(value) ? { did: true } : {}) });
}

function statusText(status: unknown): string | undefined {
  if (status === undefined) return undefined;
  return (Array.isArray(status) ? status : [status])
    .map((s) => {
      const o = object(s);
      return `${text(o['statusPurpose'])} · ${text(o['statusListCredential'])} #${text(o['statusListIndex'])}`;
    })
    .join('; ');
}

/** A credential's fields; `now` is the time verified as of. */
export function credentialFields(credential: unknown, now: Date): Field[] {
  const vc = object(credential);
  const subject = object(vc['credentialSubject']);
  const proof = object(Array.isArray(vc['proof']) ? vc['proof'][0] : vc['proof']);
  const out: Field[] = [];
  add(out, 'type', Array.isArray(vc['type']) ? vc['type'].join(', ') : vc['type']);
  add(out, 'id', vc['id']);
  add(out, 'issuer', typeof vc['issuer'] === 'object' ? object(vc['issuer'])['id'] : vc['issuer']);
  add(out, 'agent', subject['id']);
  add(out, 'name', subject['agentName']);
  add(out, 'purpose', subject['purpose']);
  add(out, 'scopes', Array.isArray(subject['scopes']) ? subject['scopes'].join(' ') : subject['scopes']);
  add(out, 'max calls', subject['maxCalls']);
  add(out, 'audience', subject['audience']);
  out.push({ label: 'validity', value: validityText(vc['validFrom'], vc['validUntil'], now) });
  add(out, 'status', statusText(vc['credentialStatus']));
  add(out, 'proof suite', proof['cryptosuite']);
  add(out, 'proof key', proof['verificationMethod']);
  add(out, 'proof created', proof['created']);
  return out;
}

/** A presentation's own fields, then its passport's. */
export function presentationFields(presentation: unknown, now: Date): Field[] {
  const vp = object(presentation);
  const proof = object(vp['proof']);
  const out: Field[] = [];
  add(out, 'holder', vp['holder']);
  add(out, 'challenge', proof['challenge']);
  add(out, 'domain', proof['domain']);
  add(out, 'holder key', proof['verificationMethod']);
  add(out, 'signed', proof['created']);
  const vcs = vp['verifiableCredential'];
  return [...out, ...credentialFields(Array.isArray(vcs) ? vcs[0] : vcs, now)];
}
