// SPDX-License-Identifier: Apache-2.0
// Status entries a client puts on a credential it asks to be issued.
import { isObject, PassportError } from '@agent-passport/core';
import { checkStatusEntryOptions } from '@agent-passport/status';

/** A BitstringStatusListEntry must be complete; other status types are the data model's business. */
export function assertStatusEntries(raw: unknown): void {
  for (const e of Array.isArray(raw) ? raw : [raw]) {
    if (!isObject(e) || e['type'] !== 'BitstringStatusListEntry') continue;
    const ok =
      typeof e['statusPurpose'] === 'string' &&
      typeof e['statusListIndex'] === 'string' &&
      /^(0|[1-9][0-9]{0,9})$/.test(e['statusListIndex']) &&
      typeof e['statusListCredential'] === 'string' &&
      URL.canParse(e['statusListCredential']);
    if (!ok)
      throw new PassportError(
        'ERR_STATUS_LIST_INVALID',
        'a credentialStatus entry must be a BitstringStatusListEntry with statusPurpose, statusListIndex and statusListCredential',
      );
    // statusSize, statusMessage, statusReference (the message purpose): emitted as given, when valid.
    checkStatusEntryOptions(e);
  }
}
