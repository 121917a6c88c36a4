// SPDX-License-Identifier: Apache-2.0
// The issuer state's `message` lists (Bitstring Status List v1.0 §2.1): entries of statusSize bits
// at the passport's index, each carrying the configured statusMessage table (and statusReference).
import { PassportError, type StatusListEntry } from '@agent-passport/core';
import {
  checkStatusEntryOptions,
  createBitstring,
  MAX_STATUS_SIZE,
  type MessageStatusOptions,
  MIN_LIST_ENTRIES,
  type StatusMessage,
  writeStatus,
} from '@agent-passport/status';

/** A `message` entry as issued: its list and index, and what its values mean. */
export interface MessageStatusEntry extends StatusListEntry {
  readonly statusPurpose: 'message';
  readonly statusSize: number;
  readonly statusMessage: readonly StatusMessage[];
  readonly statusReference?: string | readonly string[];
}

/** The configured table, checked as an entry would be (ERR_STATUS_LIST_INVALID), and copied. */
export function messageOptions(given: MessageStatusOptions): MessageStatusOptions {
  checkStatusEntryOptions({ statusPurpose: 'message', ...given } as Record<string, unknown>);
  return structuredClone({
    statusSize: given.statusSize,
    statusMessage: given.statusMessage.map(({ status, message }) => ({ status, message })),
    ...(given.statusReference === undefined ? {} : { statusReference: given.statusReference }),
  });
}

export function messageEntry(url: string, within: string, m: MessageStatusOptions): MessageStatusEntry {
  return {
    id: `${url}#${within}`,
    type: 'BitstringStatusListEntry',
    statusPurpose: 'message',
    statusListIndex: within,
    statusListCredential: url,
    ...structuredClone(m),
  };
}

/** Whether `value` is a valid state for one entry of `size` bits. */
export const isMessageValue = (value: unknown, size: number): value is number =>
  Number.isInteger(value) && (value as number) >= 0 && (value as number) < 2 ** size;

/** A state's messageSize read from disk: absent, or 1 … MAX_STATUS_SIZE. */
export function isMessageSize(size: unknown): boolean {
  return (
    size === undefined ||
    (Number.isInteger(size) && (size as number) >= 1 && (size as number) <= MAX_STATUS_SIZE)
  );
}

/** List `list` (1-based) of `size`-bit entries, from the passports' values. */
export function messageBits(
  passports: Iterable<{ readonly index: number; readonly message?: number }>,
  list: number,
  size: number,
): Uint8Array {
  const bits = createBitstring(MIN_LIST_ENTRIES * size);
  for (const p of passports)
    if (p.message !== undefined && p.message !== 0 && Math.floor(p.index / MIN_LIST_ENTRIES) + 1 === list)
      writeStatus(bits, p.index % MIN_LIST_ENTRIES, size, p.message);
  return bits;
}

export const valueError = (message: string) => new PassportError('ERR_STATUS_VALUE_INVALID', message);
