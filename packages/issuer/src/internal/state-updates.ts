// SPDX-License-Identifier: Apache-2.0
// The updates of the issuer state, each a pure step from the freshest state (read under the lock) to
// the next one and what the caller is told.
import { randomInt } from 'node:crypto';
import { PassportError, parseDateTime, type StatusListEntry } from '@agent-passport/core';
import { type MessageStatusOptions, MIN_LIST_ENTRIES } from '@agent-passport/status';
import type {
  IssuedPassport,
  IssuerState,
  IssuerStateData,
  PassportSelector,
  StatusChange,
} from '../state.js';
import { isMessageValue, type MessageStatusEntry, messageEntry, valueError } from './message-lists.js';
import { listUrl } from './state-lists.js';

type NewPassport = Parameters<IssuerState['allocate']>[0];
type Allocation = Awaited<ReturnType<IssuerState['allocate']>>;
type Changed = { id: string; passport: IssuedPassport }[];

/** The status entries of the passport at `index`: revocation, suspension, and message when configured. */
function entriesAt(
  statusBase: string,
  index: number,
  message: MessageStatusOptions | undefined,
): (StatusListEntry | MessageStatusEntry)[] {
  const list = Math.floor(index / MIN_LIST_ENTRIES) + 1;
  const within = String(index % MIN_LIST_ENTRIES);
  const entries: (StatusListEntry | MessageStatusEntry)[] = (['revocation', 'suspension'] as const).map(
    (purpose) => {
      const url = listUrl(statusBase, purpose, list);
      return {
        id: `${url}#${within}`,
        type: 'BitstringStatusListEntry',
        statusPurpose: purpose,
        statusListIndex: within,
        statusListCredential: url,
      };
    },
  );
  if (message !== undefined)
    entries.push(messageEntry(listUrl(statusBase, 'message', list), within, message));
  return entries;
}

/** The passports a selector names; none is ERR_PASSPORT_NOT_FOUND. */
function select(state: IssuerStateData, selector: PassportSelector): [string, IssuedPassport][] {
  const chosen = Object.entries(state.passports).filter(([id, p]) =>
    'id' in selector ? id === selector.id : p.subject === selector.subject,
  );
  if (chosen.length === 0)
    throw new PassportError('ERR_PASSPORT_NOT_FOUND', `no passport matches ${JSON.stringify(selector)}`);
  return chosen;
}

/** Refuse a passport to allocate whose fields are not non-empty strings, or whose dates are not date-times. */
export function checkNewPassport(passport: NewPassport): void {
  for (const [k, v] of Object.entries(passport))
    if (typeof v !== 'string' || v.length === 0) throw new TypeError(`${k} must be a non-empty string`);
  if (parseDateTime(passport.validUntil) === undefined || parseDateTime(passport.issuedAt) === undefined)
    throw new PassportError('ERR_DATE_INVALID', 'validUntil and issuedAt must be date-times');
}

/** Give `passport` a random free index (herd privacy), opening a list when they are half full. */
export function allocateIn(
  state: IssuerStateData,
  passport: NewPassport,
  message: MessageStatusOptions | undefined,
  file: string,
): [IssuerStateData, Allocation] {
  if (Object.hasOwn(state.passports, passport.id))
    throw new PassportError('ERR_STATE_CORRUPT', `passport ${passport.id} is already in the state`);
  const used = new Set(Object.values(state.passports).map((p) => p.index));
  // Keep lists at most half full so that a random free index is found in a few tries.
  const lists = used.size + 1 > (state.lists * MIN_LIST_ENTRIES) / 2 ? state.lists + 1 : state.lists;
  let index: number;
  do index = randomInt(lists * MIN_LIST_ENTRIES);
  while (used.has(index));
  if (message !== undefined && (state.messageSize ?? message.statusSize) !== message.statusSize)
    throw new PassportError(
      'ERR_STATUS_LIST_INVALID',
      `the message lists of ${file} hold ${state.messageSize}-bit entries, not ${message.statusSize}`,
    );
  const { id, ...rest } = passport;
  const issued = { index, ...rest, ...(message === undefined ? {} : { message: 0 }) };
  const next = {
    ...state,
    lists,
    ...(message === undefined ? {} : { messageSize: message.statusSize }),
    passports: { ...state.passports, [id]: issued },
  };
  return [next, { index, entries: entriesAt(state.statusBase, index, message) }];
}

/** Revoke (permanent), suspend or reinstate the selected passports at `time` (an ISO date-time). */
export function changeIn(
  state: IssuerStateData,
  selector: PassportSelector,
  change: StatusChange,
  time: string,
): [IssuerStateData, Changed] {
  const chosen = select(state, selector);
  const passports = { ...state.passports };
  const changed: Changed = [];
  for (const [id, p] of chosen) {
    let updated: IssuedPassport = p;
    if (change === 'revoke' && p.revokedAt === undefined) updated = { ...p, revokedAt: time };
    if (change === 'suspend' && p.suspendedAt === undefined) updated = { ...p, suspendedAt: time };
    if (change === 'reinstate') {
      if (p.revokedAt !== undefined)
        throw new PassportError('ERR_REVOKED', `${id} is revoked: revocation is permanent`);
      const { suspendedAt: _, ...rest } = p;
      updated = rest;
    }
    passports[id] = updated;
    changed.push({ id, passport: updated });
  }
  return [{ ...state, passports }, changed];
}

/** Set the `message` value of the selected passports (each must have a message entry). */
export function setMessageIn(
  state: IssuerStateData,
  selector: PassportSelector,
  value: number,
): [IssuerStateData, Changed] {
  const passports = { ...state.passports };
  const changed: Changed = [];
  for (const [id, p] of select(state, selector)) {
    if (p.message === undefined) throw valueError(`${id} was issued without a message status entry`);
    if (!isMessageValue(value, state.messageSize ?? 0))
      throw valueError(
        `a ${state.messageSize}-bit message status is from 0 to ${2 ** (state.messageSize ?? 0) - 1}`,
      );
    passports[id] = { ...p, message: value };
    changed.push({ id, passport: passports[id] });
  }
  return [{ ...state, passports }, changed];
}
