// SPDX-License-Identifier: Apache-2.0
// The `message` status purpose on the VC API (Bitstring Status List v1.0 §2.1): which table the
// issuer state gives each credential's message entry, the statusReference document the server
// publishes for it, and the status change that sets a credential's message value.
import { isObject, type JsonObject as Json, PassportError } from '@agent-passport/core';
import type { IssuerState } from '@agent-passport/issuer';
import { type MessageStatusOptions, statusMessageOf, statusValueOf } from '@agent-passport/status';

/**
 * The table used when the configuration names none: 2 bits, four notices an issuer can attach to
 * a credential without revoking or suspending it.
 */
export const DEFAULT_MESSAGE_STATUS: MessageStatusOptions = Object.freeze({
  statusSize: 2,
  statusMessage: Object.freeze([
    { status: '0x0', message: 'valid' },
    { status: '0x1', message: 'under_review' },
    { status: '0x2', message: 'superseded' },
    { status: '0x3', message: 'reissue_requested' },
  ]),
});

/** Where the server publishes the table, under its status lists. */
export const messageReferenceUrl = (statusBase: string) => `${statusBase}/messages`;

/**
 * The message entries' table: the configured one or the default (its statusReference, when it
 * names none, is the table the server publishes); none with `false` or without status lists.
 */
export function messageStatusFor(
  configured: MessageStatusOptions | false | undefined,
  statusBase: string | undefined,
): MessageStatusOptions | undefined {
  if (statusBase === undefined || configured === false) return undefined;
  const table = configured ?? DEFAULT_MESSAGE_STATUS;
  return { ...table, statusReference: table.statusReference ?? messageReferenceUrl(statusBase) };
}

/** The document at the statusReference the server publishes: the table, as JSON. */
export function messageReference(
  url: string,
  statusBase: string | undefined,
  table: MessageStatusOptions | undefined,
): [number, unknown, string] | undefined {
  if (statusBase === undefined || table === undefined || url !== messageReferenceUrl(statusBase))
    return undefined;
  const { statusSize, statusMessage } = table;
  return [200, { statusPurpose: 'message', statusSize, statusMessage }, 'application/json'];
}

const request = (message: string) => new PassportError('ERR_API_REQUEST', message);

/** Whether a status change names the `message` purpose (it then is handled here). */
export function isMessageChange(body: unknown): boolean {
  const raw = isObject(body) ? body['credentialStatus'] : undefined;
  return (Array.isArray(raw) ? raw : [raw]).some((e) => isObject(e) && e['statusPurpose'] === 'message');
}

/** A value as a number: an integer, or its `0x…` form as in statusMessage. */
function messageValue(status: unknown): number {
  const value = typeof status === 'number' && Number.isInteger(status) ? status : statusValueOf(status);
  if (value === undefined)
    throw request('a message status is an integer or "0x…" (one of the entry’s statusMessage values)');
  return value;
}

/**
 * POST /credentials/status for the message purpose: `{credentialId, credentialStatus:
 * {type: "BitstringStatusListEntry", statusPurpose: "message"}, status: 2 | "0x2"}`. A value
 * outside the entry's 2^statusSize values is ERR_STATUS_VALUE_INVALID.
 */
export async function changeMessageStatus(
  body: Json,
  state: IssuerState | undefined,
  table: MessageStatusOptions | undefined,
): Promise<[number, unknown]> {
  const raw = body['credentialStatus'];
  const wanted = Array.isArray(raw) ? raw : [raw];
  const [entry] = wanted;
  if (wanted.length !== 1 || !isObject(entry) || entry['type'] !== 'BitstringStatusListEntry')
    throw request(
      'a message status is changed alone: credentialStatus {type: "BitstringStatusListEntry", statusPurpose: "message"}',
    );
  const credentialId = body['credentialId'];
  if (typeof credentialId !== 'string') throw request('credentialId must be a string');
  const value = messageValue(body['status']);
  if (state === undefined || table === undefined)
    throw new PassportError(
      'ERR_PASSPORT_NOT_FOUND',
      `no credential ${credentialId} was issued here with a message entry`,
    );
  await state.setMessage({ subject: credentialId }, value);
  const message = statusMessageOf(table as unknown as Json, value);
  const status = `0x${value.toString(16)}`;
  return [
    200,
    {
      credentialId,
      credentialStatus: [{ type: 'BitstringStatusListEntry', statusPurpose: 'message', status, message }],
    },
  ];
}
