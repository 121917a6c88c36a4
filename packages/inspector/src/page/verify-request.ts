// SPDX-License-Identifier: Apache-2.0
// A signed HTTP request (RFC 9421, the agent-passport profile): parsed from raw text, then its
// signature verified by http-signatures as of the chosen time, the keyid a did:key (offline).
import { failUnless } from '@agent-passport/core';
import { decodeDidKey } from '@agent-passport/did-key';
import {
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
  verifySignatureHeaders,
} from '@agent-passport/http-signatures';
import { runPageChecks } from './checks.js';
import { parseHttpText, type RawRequest } from './http-text.js';
import type { Field, Report, RunSettings } from './types.js';

/** The public key of a did:key keyid (with or without a fragment); other keyids are unknown. */
function resolveKey(keyId: string) {
  if (!keyId.startsWith('did:key:')) return undefined;
  const { type, publicKey } = decodeDidKey(keyId.split('#')[0] as string);
  return { type, publicKey };
}

/** Verify a parsed request as of `now`; a failure throws (CheckFailure). */
export async function checkRequestSignature(
  raw: RawRequest,
  now: Date,
): Promise<{ keyId: string; created: number }> {
  const request = new Request(raw.url, {
    method: raw.method,
    headers: raw.headers.map(([k, v]) => [k, v] as [string, string]),
    ...(raw.body === undefined ? {} : { body: raw.body as BodyInit }),
  });
  const r = await verifySignatureHeaders(request, {
    now,
    resolveKey,
    ...(raw.body === undefined ? {} : { body: raw.body }),
  });
  failUnless(r.ok, r.ok ? 'ERR_SIG_INVALID' : r.code, r.ok ? '' : r.message);
  return { keyId: r.keyId, created: r.created };
}

function fields(raw: RawRequest | undefined): Field[] {
  if (raw === undefined) return [];
  const header = (name: string) => raw.headers.find(([k]) => k === name)?.[1];
  const out: Field[] = [
    { label: 'method', value: raw.method },
    { label: 'URL', value: raw.url },
  ];
  const input = header('signature-input');
  if (input !== undefined) out.push({ label: 'signature input', value: input });
  const keyId = /keyid="([^"]+)"/.exec(input ?? '')?.[1];
  if (keyId !== undefined)
    out.push({ label: 'signed by', value: keyId, ...(keyId.startsWith('did:') ? { did: true } : {}) });
  const created = /created=(\d+)/.exec(input ?? '')?.[1];
  if (created !== undefined)
    out.push({ label: 'created', value: new Date(Number(created) * 1000).toISOString() });
  if (header(PASSPORT_HEADER) !== undefined)
    out.push({ label: 'passport', value: 'carried inline (Agent-Passport header)' });
  if (header(PASSPORT_REF_HEADER) !== undefined)
    out.push({ label: 'passport', value: `by reference: ${header(PASSPORT_REF_HEADER)}` });
  return out;
}

export async function verifyRequestText(text: string, settings: RunSettings): Promise<Report> {
  let raw: RawRequest | undefined;
  const outcome = await runPageChecks([
    [
      'parse',
      () => {
        raw = parseHttpText(text);
      },
    ],
    ['signature', () => checkRequestSignature(raw as RawRequest, settings.now).then(() => undefined)],
  ]);
  const parsed = raw as RawRequest | undefined;
  return {
    kind: 'request',
    ...outcome,
    summary: fields(parsed),
    notes: [
      ...(parsed?.assumedHttps === true ? ['the scheme is not in the text: https:// is assumed'] : []),
      'a signature is accepted within 5 minutes of its creation: set "Verify as of" to audit an older one',
    ],
  };
}
