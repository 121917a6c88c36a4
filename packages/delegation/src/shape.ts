// SPDX-License-Identifier: Apache-2.0
// A delegation credential's shape: strict JSON when given as text, the VCDM 2.0 rules and the
// AgentDelegation schema. Everything after this may rely on the types.
import { PassportError, parseDateTime } from '@agent-passport/core';
import { checkVcdm2, validateDelegationSchema } from '@agent-passport/schema';
import { parseJson } from '@agent-passport/strict-json';
import type { AgentDelegation } from './types.js';

/** Largest delegation credential read (bytes of JSON text). */
export const MAX_DELEGATION_BYTES = 16 * 1024;

/** Check (and parse, when text) one delegation credential; throws ERR_DELEGATION_INVALID. */
export function parseDelegation(input: unknown): AgentDelegation {
  const credential =
    typeof input === 'string' ? parseJson(input, { maxBytes: MAX_DELEGATION_BYTES, maxDepth: 16 }) : input;
  assertDelegationShape(credential);
  return credential;
}

/** The VCDM 2.0 rules and the AgentDelegation schema, before signing and after parsing. */
export function assertDelegationShape(credential: unknown): asserts credential is AgentDelegation {
  const vcdm = checkVcdm2(credential);
  if (!vcdm.ok) throw new PassportError('ERR_DELEGATION_INVALID', `${vcdm.path}: ${vcdm.message}`);
  const schema = validateDelegationSchema(credential);
  if (!schema.ok) {
    const first = schema.errors[0];
    throw new PassportError('ERR_DELEGATION_INVALID', `${first?.path}: ${first?.message}`);
  }
  const { validFrom, validUntil } = credential as AgentDelegation;
  if ((parseDateTime(validUntil) ?? 0) <= (parseDateTime(validFrom) ?? 0))
    throw new PassportError('ERR_VALIDITY_WINDOW', 'validUntil must be after validFrom');
}
