// SPDX-License-Identifier: Apache-2.0
// The optional features of a BitstringStatusListEntry (Bitstring Status List v1.0 §2.1): entries
// of `statusSize` bits (the `message` purpose), their `statusMessage` table (one message per
// possible value, each `{status: "0x…", message}`), and `statusReference` URLs; and reading and
// writing a multi-bit value (entry i holds bits i·size … i·size+size−1, left-most first).
import { isObject, type JsonObject as Json, PassportError } from '@agent-passport/core';
import { getBit, setBit } from './bitstring.js';

/** The largest statusSize accepted: 8 bits, 256 messages. */
export const MAX_STATUS_SIZE = 8;

/** One line of a statusMessage table: a value (`0x…`, hexadecimal) and what it means. */
export interface StatusMessage {
  readonly status: string;
  readonly message: string;
}

/** What a `message` entry carries besides its list and index (§2.1). */
export interface MessageStatusOptions {
  readonly statusSize: number;
  readonly statusMessage: readonly StatusMessage[];
  readonly statusReference?: string | readonly string[];
}
const bad = (message: string) => new PassportError('ERR_STATUS_LIST_INVALID', message);
const isUrl = (v: unknown) => typeof v === 'string' && v.length <= 2048 && URL.canParse(v);

/** The value a statusMessage `status` names (`0x0` … `0xff`, hexadecimal), or undefined. */
export function statusValueOf(status: unknown): number | undefined {
  return typeof status === 'string' && /^0x[0-9a-fA-F]{1,2}$/.test(status)
    ? Number.parseInt(status.slice(2), 16)
    : undefined;
}

/** The entry's statusSize (1 when absent). */
export function statusSizeOf(entry: Json): number {
  const size = entry['statusSize'] ?? 1;
  if (!Number.isInteger(size) || (size as number) < 1 || (size as number) > MAX_STATUS_SIZE)
    throw bad(`statusSize must be an integer from 1 to ${MAX_STATUS_SIZE}`);
  return size as number;
}

/** A statusMessage table for `size` bits: each of the 2^size values once, each with a message. */
function checkStatusMessages(messages: unknown, size: number): void {
  if (!Array.isArray(messages) || messages.length !== 2 ** size)
    throw bad(`statusMessage must list the ${2 ** size} possible values of ${size} bit(s)`);
  const seen = new Set<number>();
  for (const m of messages) {
    const value = isObject(m) ? statusValueOf(m['status']) : undefined;
    if (value === undefined || !isObject(m) || typeof m['message'] !== 'string')
      throw bad('each statusMessage is {status: "0x…", message: string}');
    if (value >= 2 ** size || seen.has(value))
      throw bad(`statusMessage ${String(m['status'])} is out of range or repeated`);
    seen.add(value);
  }
}

/**
 * Check statusSize, statusMessage and statusReference of `entry`: a statusMessage is required
 * above one bit, lists every possible value once (`0x0` … as hexadecimal), and each has a message.
 */
export function checkStatusEntryOptions(entry: Json): void {
  const size = statusSizeOf(entry);
  const messages = entry['statusMessage'];
  if (messages === undefined) {
    if (size > 1) throw bad('a statusSize above 1 needs a statusMessage');
  } else checkStatusMessages(messages, size);
  const reference = entry['statusReference'];
  if (reference !== undefined) {
    const list = Array.isArray(reference) ? reference : [reference];
    if (list.length === 0 || !list.every(isUrl)) throw bad('statusReference must be a URL or a list of URLs');
  }
  if (entry['statusPurpose'] === 'message' && messages === undefined)
    throw bad('a message status entry needs a statusMessage');
}

/** The value of entry `index` of `size` bits. */
export function readStatus(bits: Uint8Array, index: number, size: number): number {
  let value = 0;
  for (let i = 0; i < size; i++) value = (value << 1) | (getBit(bits, index * size + i) ? 1 : 0);
  return value;
}

/** Set entry `index` of `size` bits to `value`. */
export function writeStatus(bits: Uint8Array, index: number, size: number, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** size)
    throw new RangeError(`a ${size}-bit status is from 0 to ${2 ** size - 1}`);
  for (let i = 0; i < size; i++) setBit(bits, index * size + i, ((value >> (size - 1 - i)) & 1) === 1);
}

/** The message the entry gives for `value`, if it has a statusMessage. */
export function statusMessageOf(entry: Json, value: number): string | undefined {
  const messages = entry['statusMessage'];
  if (!Array.isArray(messages)) return undefined;
  const m = messages.find((x) => isObject(x) && statusValueOf(x['status']) === value);
  return isObject(m) && typeof m['message'] === 'string' ? m['message'] : undefined;
}
