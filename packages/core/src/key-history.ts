// SPDX-License-Identifier: Apache-2.0
// Key history (CID 1.0 `revoked`, and our `retired`): whether a verification method still vouches
// for a proof made at a given time. Used by every proof check, whatever the document.

import { parseDateTime } from './dates.js';
import { PassportError } from './errors.js';
import type { MultikeyVerificationMethod } from './types.js';

/**
 * Key history: may a proof that says it was made at `created` be accepted from `method`?
 * A key retired at R still vouches for proofs made up to R (passports stay valid until they
 * expire); a key compromised (`revoked`) at C vouches for nothing made at or after C. A proof
 * without a creation time cannot be placed, so a key with a history refuses it.
 */
export function assertKeyValidAt(method: MultikeyVerificationMethod, created: unknown): void {
  const revoked = parseDateTime(method.revoked);
  const retired = parseDateTime(method.retired);
  if (revoked === undefined && retired === undefined) return;
  const at = parseDateTime(created);
  const code = revoked !== undefined ? 'ERR_KEY_COMPROMISED' : 'ERR_KEY_RETIRED';
  if (at === undefined)
    throw new PassportError(code, `${method.id} has a key history and the proof has no created time`);
  if (revoked !== undefined && at >= revoked)
    throw new PassportError(
      'ERR_KEY_COMPROMISED',
      `${method.id} was declared compromised as of ${String(method.revoked)}; the proof was made at ${String(created)}`,
    );
  if (retired !== undefined && at > retired)
    throw new PassportError(
      'ERR_KEY_RETIRED',
      `${method.id} was retired at ${String(method.retired)}; the proof was made at ${String(created)}`,
    );
}
