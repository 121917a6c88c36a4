// SPDX-License-Identifier: Apache-2.0
// The headers that carry the caller's credentials (the passport or its reference, the delegation
// chain or its reference), read once per call: the signature, passport and holder checks all
// decide on them.
import {
  DELEGATION_HEADER,
  DELEGATION_REF_HEADER,
  PASSPORT_HEADER,
  PASSPORT_REF_HEADER,
} from '@agent-passport/http-signatures';

export interface Carried {
  readonly passport: string | null;
  readonly passportRef: string | null;
  /** A chain or its reference is present: the call claims delegated authority. */
  readonly delegated: boolean;
  /** The chain header the signature must cover, when one is present (the chain before its reference). */
  readonly chainHeader: typeof DELEGATION_HEADER | typeof DELEGATION_REF_HEADER | undefined;
}

export function carried(headers: Headers): Carried {
  const chainHeader = headers.has(DELEGATION_HEADER)
    ? DELEGATION_HEADER
    : headers.has(DELEGATION_REF_HEADER)
      ? DELEGATION_REF_HEADER
      : undefined;
  return {
    passport: headers.get(PASSPORT_HEADER),
    passportRef: headers.get(PASSPORT_REF_HEADER),
    delegated: chainHeader !== undefined,
    chainHeader,
  };
}
