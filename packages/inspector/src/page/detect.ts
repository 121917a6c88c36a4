// SPDX-License-Identifier: Apache-2.0
// What a pasted text is, from its shape: raw HTTP text is a signed request; JSON is read by its
// types and fields. Anything else goes to the passport verifier, whose parse check says why not.
import { AGENT_PASSPORT_V1_CONTEXT } from '@agent-passport/contexts';
import type { Kind } from './types.js';
import { chainOf, presentsChain } from './verify-delegation.js';

const REQUEST_LINE = /^[A-Z]+ \S+ HTTP\/\d(\.\d)?$/;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

export function detectKind(text: string): Kind {
  const trimmed = text.trim();
  if (REQUEST_LINE.test(trimmed.split(/\r?\n/, 1)[0] ?? '')) return 'request';
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return 'passport';
  }
  if (chainOf(value) !== undefined) return 'delegation';
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'passport';
  const doc = value as Record<string, unknown>;
  const types = list(doc['type']);
  if (types.includes('AgentPassportTrustBundle')) return 'bundle';
  if (types.includes('VerifiablePresentation')) return presentsChain(doc) ? 'delegation' : 'presentation';
  if (typeof doc['seq'] === 'number' && typeof doc['prev'] === 'string' && typeof doc['hash'] === 'string')
    return 'evidence';
  if (types.includes('AgentPassport') || list(doc['@context']).includes(AGENT_PASSPORT_V1_CONTEXT))
    return 'passport';
  return doc['proof'] === undefined ? 'passport' : 'proof';
}
