// SPDX-License-Identifier: Apache-2.0
// What the signature checks read of a request's fields. Public declarations name it, so it imports
// nothing (in particular no `structured-headers` type: see response-base.ts).

/** A Headers object, or anything that answers a field's value as Headers.get does. */
export interface FieldReader {
  get(name: string): string | null;
}
