// SPDX-License-Identifier: Apache-2.0
// One evidence log entry, re-verified as of the time it was recorded: its own hash (SHA-256 of the
// JCS of the entry without `hash`), the request signature it records, and the passport it holds
// (with the page's trust). The chain between entries needs the whole log: `agent-passport audit`.
import { failUnless, PassportError } from '@agent-passport/core';
import { sha256 } from '@agent-passport/did-key';

/** What the log writes for an inline passport header that is the passport it holds. */
const PASSPORT_MARKER = '$passport';

import { canonicalize, parseJson } from '@agent-passport/strict-json';
import { runPageChecks } from './checks.js';
import type { Trust } from './trust.js';
import type { Field, Report, RunSettings } from './types.js';
import { verifyPassportText } from './verify-passport.js';
import { checkRequestSignature } from './verify-request.js';

type Json = Record<string, unknown>;

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
const fromBase64url = (s: string) =>
  Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

function fields(entry: Json): Field[] {
  const out: Field[] = [];
  for (const k of ['seq', 'time', 'kind', 'agentName', 'agent', 'issuer', 'passportId'] as const)
    if (entry[k] !== undefined)
      out.push({
        label: k,
        value: String(entry[k]),
        ...(String(entry[k]).startsWith('did:') ? { did: true } : {}),
      });
  const verdict = entry['verdict'] as { verified?: boolean; codes?: string[] } | undefined;
  if (verdict !== undefined)
    out.push({
      label: 'recorded verdict',
      value: verdict.verified ? 'verified' : `refused ${(verdict.codes ?? []).join(', ')}`,
    });
  const request = entry['request'] as Json | undefined;
  if (request !== undefined)
    out.push({ label: 'request', value: `${String(request['method'])} ${String(request['url'])}` });
  return out;
}

export async function verifyEvidenceText(text: string, trust: Trust, settings: RunSettings): Promise<Report> {
  let entry: Json = {};
  let passport: Report | undefined;
  const outcome = await runPageChecks([
    [
      'parse',
      () => {
        entry = parseJson(text) as Json;
      },
    ],
    [
      'entry-hash',
      () => {
        const { hash, ...rest } = entry;
        failUnless(
          base64url(sha256(canonicalize(rest))) === hash,
          'ERR_EVIDENCE_HASH',
          'the entry does not match its hash: it was edited',
        );
      },
    ],
    [
      'request-signature',
      async () => {
        const r = entry['request'] as
          | { method: string; url: string; headers: Record<string, string>; body?: string }
          | undefined;
        if (r === undefined) return;
        const body = r.body === undefined ? undefined : fromBase64url(r.body);
        // The inline passport header is logged as a marker when it is the passport the entry holds.
        const bytes = (entry['passport'] as { bytes?: string } | undefined)?.bytes;
        const headers = Object.entries(r.headers).map(
          ([k, v]) => [k, v === PASSPORT_MARKER && bytes !== undefined ? bytes : v] as const,
        );
        await checkRequestSignature(
          { method: r.method, url: r.url, headers, body, assumedHttps: false },
          new Date(String(entry['time'])),
        );
      },
    ],
    [
      'passport',
      async () => {
        const bytes = (entry['passport'] as { bytes?: string } | undefined)?.bytes;
        if (bytes === undefined) return;
        passport = await verifyPassportText(new TextDecoder().decode(fromBase64url(bytes)), false, trust, {
          ...settings,
          now: new Date(String(entry['time'])),
        });
        if (passport.verified !== true)
          throw new PassportError(
            (passport.codes[0] ?? 'ERR_VERIFIER_INTERNAL') as never,
            passport.problem ?? `the passport fails ${passport.checks.find((c) => !c.ok)?.name ?? ''}`,
          );
      },
    ],
  ]);
  return {
    kind: 'evidence',
    ...outcome,
    summary: fields(entry),
    json: entry,
    notes: [
      `verified as of the entry's time; the request body and the links to other entries are checked by agent-passport audit over the whole log`,
      ...trust.notes,
    ],
  };
}
