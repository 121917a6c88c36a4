// SPDX-License-Identifier: Apache-2.0
// The issuer's durable state (docs/security.md): which passports it
// issued, at which status index, and which are revoked or suspended. One JSON file, replaced
// atomically (temp file, fsync, rename, fsync of the folder) under an inter-process lock, so a
// crash at any point leaves either the old or the new state: an index is never handed out twice
// and a revocation the caller was told about is never lost. The status lists are derived from it.
// The lock names its owner (pid, host, start): a killed owner's lock is broken at once.
import { createHash, randomInt } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  type DocumentLoader,
  PassportError,
  parseDateTime,
  type Signer,
  type StatusListEntry,
} from '@agent-passport/core';
import { acquireLock, describeOwner, writeAtomic } from '@agent-passport/keystore';
import {
  type BitstringStatusListCredential,
  createBitstring,
  issueStatusListCredential,
  type ListPurpose,
  type MessageStatusOptions,
  MIN_LIST_ENTRIES,
  setBit,
} from '@agent-passport/status';
import { canonicalize, parseJson } from '@agent-passport/strict-json';
import {
  isMessageSize,
  isMessageValue,
  type MessageStatusEntry,
  messageBits,
  messageEntry,
  messageOptions,
  valueError,
} from './internal/message-lists.js';

/** What the state remembers of one issued passport (public data only). */
export interface IssuedPassport {
  readonly index: number;
  readonly subject: string;
  readonly agentName: string;
  readonly issuedAt: string;
  readonly validUntil: string;
  readonly revokedAt?: string;
  readonly suspendedAt?: string;
  /** The value of its `message` entry (0 … 2^messageSize − 1), when it was issued with one. */
  readonly message?: number;
}

export interface IssuerStateData {
  readonly version: 1;
  readonly issuer: string;
  /** Status list credentials live at `${statusBase}/revocation/N` and `${statusBase}/suspension/N`. */
  readonly statusBase: string;
  /** Lists opened so far (each holds 131,072 entries). */
  readonly lists: number;
  /** statusSize of the `message` lists (`${statusBase}/message/N`), fixed by the first message entry. */
  readonly messageSize?: number;
  readonly passports: Readonly<Record<string, IssuedPassport>>;
}

export type StatusChange = 'revoke' | 'suspend' | 'reinstate';

/** Which passports a change applies to: one by id, or every passport of an agent (its did:key). */
export type PassportSelector = { readonly id: string } | { readonly subject: string };

export interface IssuerStateOptions {
  /** The issuer's DID: the state refuses to serve another issuer. */
  readonly issuer: string;
  /** https URL under which the status lists are published, without a trailing slash. */
  readonly statusBase: string;
  /** How long to wait for another live process's lock (default 10 s). */
  readonly lockTimeoutMs?: number;
  /**
   * A lock whose owner cannot be checked (another host sharing the folder) is taken over once this
   * old (default 10 s, at least 2 s). A dead owner on this host is detected at once.
   */
  readonly staleLockMs?: number;
  /**
   * Also give each passport a `message` entry (Bitstring Status List §2.1): its statusSize (1–8
   * bits), its statusMessage (one message per value) and statusReference. A state keeps the
   * statusSize its first message entry had.
   */
  readonly message?: MessageStatusOptions;
}

const corrupt = (message: string) => new PassportError('ERR_STATE_CORRUPT', message);
const digestOf = (data: unknown) => createHash('sha256').update(canonicalize(data)).digest('base64url');

/** Validate what was read from disk: shape, digest, indexes unique and inside the opened lists. */
function validate(file: unknown, issuer: string): IssuerStateData {
  if (typeof file !== 'object' || file === null) throw corrupt('the state is not an object');
  const { digest, state } = file as { digest?: unknown; state?: IssuerStateData };
  if (typeof digest !== 'string' || typeof state !== 'object' || state === null)
    throw corrupt('the state file has no state or no digest');
  if (digestOf(state) !== digest) throw corrupt('the state does not match its digest (edited or damaged)');
  if (state.version !== 1) throw corrupt(`state version ${String(state.version)} is not supported`);
  if (state.issuer !== issuer) throw corrupt(`the state belongs to ${String(state.issuer)}, not ${issuer}`);
  if (!Number.isInteger(state.lists) || state.lists < 1) throw corrupt('lists must be a positive integer');
  if (!isMessageSize(state.messageSize)) throw corrupt('messageSize must be an integer from 1 to 8');
  const seen = new Set<number>();
  for (const [id, p] of Object.entries(state.passports ?? {})) {
    if (
      !Number.isInteger(p?.index) ||
      p.index < 0 ||
      p.index >= state.lists * MIN_LIST_ENTRIES ||
      seen.has(p.index)
    )
      throw corrupt(`passport ${id} has an invalid or duplicate index`);
    if (p.message !== undefined && !isMessageValue(p.message, state.messageSize ?? 0))
      throw corrupt(`passport ${id} has a message value outside its lists`);
    seen.add(p.index);
  }
  return state;
}

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

export interface IssuerState {
  readonly file: string;
  /** The current state (read under no lock: a consistent snapshot, possibly already outdated). */
  read(): IssuerStateData;
  /**
   * Reserve a status index for a passport about to be issued, durably, before it is signed; returns
   * its revocation and suspension entries (and its message entry when configured, value 0). The
   * index is random among the free ones (herd privacy).
   */
  allocate(passport: {
    readonly id: string;
    readonly subject: string;
    readonly agentName: string;
    readonly validUntil: string;
    readonly issuedAt: string;
  }): Promise<{
    readonly index: number;
    readonly entries: readonly (StatusListEntry | MessageStatusEntry)[];
  }>;
  /** Revoke (permanent), suspend or reinstate: durable when this resolves. Returns what changed. */
  change(
    selector: PassportSelector,
    change: StatusChange,
    at: Date,
  ): Promise<readonly { readonly id: string; readonly passport: IssuedPassport }[]>;
  /**
   * Set the `message` value of the selected passports (ERR_STATUS_VALUE_INVALID when it is not one
   * of the 2^statusSize values, or one was issued without a message entry). Durable when it resolves.
   */
  setMessage(
    selector: PassportSelector,
    value: number,
  ): Promise<readonly { readonly id: string; readonly passport: IssuedPassport }[]>;
  /** The bits of every list, derived from the state. */
  bitstrings(): {
    readonly purpose: ListPurpose;
    readonly url: string;
    readonly bits: Uint8Array;
    readonly statusSize: number;
  }[];
  /** Sign every list as it stands now. */
  issueLists(options: {
    readonly signer: Signer;
    readonly now?: Date;
    readonly validForMs?: number;
    readonly documentLoader?: DocumentLoader;
  }): Promise<{ readonly url: string; readonly credential: BitstringStatusListCredential }[]>;
}

export function listUrl(statusBase: string, purpose: ListPurpose, list: number): string {
  return `${statusBase}/${purpose}/${list}`;
}

/** Open (creating when missing) the issuer state kept in `file`. */
export function openIssuerState(file: string, options: IssuerStateOptions): IssuerState {
  if (typeof options?.issuer !== 'string' || !options.issuer.startsWith('did:'))
    throw new TypeError('options.issuer must be a DID');
  if (typeof options.statusBase !== 'string' || !/^https:\/\/[^\s#?]+[^/\s#?]$/.test(options.statusBase))
    throw new TypeError('options.statusBase must be an https URL without a trailing slash');
  const lockTimeoutMs = options.lockTimeoutMs ?? 10_000;
  const staleLockMs = options.staleLockMs ?? 10_000;
  if (!Number.isInteger(staleLockMs) || staleLockMs < 2000)
    throw new RangeError('staleLockMs must be at least 2000');
  const dir = dirname(file);
  const message = options.message === undefined ? undefined : messageOptions(options.message);

  function load(): IssuerStateData {
    if (!existsSync(file))
      return { version: 1, issuer: options.issuer, statusBase: options.statusBase, lists: 1, passports: {} };
    let parsed: unknown;
    try {
      parsed = parseJson(readFileSync(file), { maxBytes: 256 * 1024 * 1024, maxDepth: 8 });
    } catch (cause) {
      throw new PassportError('ERR_STATE_CORRUPT', `${file} is not valid JSON`, { cause });
    }
    return validate(parsed, options.issuer);
  }

  function save(state: IssuerStateData): void {
    writeAtomic(file, dir, `${JSON.stringify({ digest: digestOf(state), state })}\n`, 0o600);
  }

  /** Run `update` on the freshest state under the lock, and save what it returns. */
  async function locked<T>(update: (state: IssuerStateData) => [IssuerStateData, T]): Promise<T> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const lock = await acquireLock(`${file}.lock`, {
      waitMs: lockTimeoutMs,
      breakUnknownAfterMs: staleLockMs,
    });
    if (!('release' in lock))
      throw new PassportError(
        'ERR_STATE_LOCKED',
        `${file} is locked by ${describeOwner(lock.heldBy)}, for longer than ${lockTimeoutMs} ms`,
      );
    try {
      const [next, result] = update(load());
      if (next !== undefined) save(next);
      return result;
    } finally {
      lock.release();
    }
  }

  return {
    file,
    read: load,

    allocate(passport) {
      for (const [k, v] of Object.entries(passport))
        if (typeof v !== 'string' || v.length === 0) throw new TypeError(`${k} must be a non-empty string`);
      if (parseDateTime(passport.validUntil) === undefined || parseDateTime(passport.issuedAt) === undefined)
        throw new PassportError('ERR_DATE_INVALID', 'validUntil and issuedAt must be date-times');
      return locked((state) => {
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
      });
    },

    change(selector, change, at) {
      if (!(at instanceof Date) || Number.isNaN(at.getTime())) throw new TypeError('at must be a valid Date');
      const time = at.toISOString();
      return locked((state) => {
        const chosen = select(state, selector);
        const passports = { ...state.passports };
        const changed: { id: string; passport: IssuedPassport }[] = [];
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
      });
    },

    setMessage(selector, value) {
      return locked((state) => {
        const passports = { ...state.passports };
        const changed: { id: string; passport: IssuedPassport }[] = [];
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
      });
    },

    bitstrings() {
      const state = load();
      const out: { purpose: ListPurpose; url: string; bits: Uint8Array; statusSize: number }[] = [];
      for (const purpose of ['revocation', 'suspension'] as const) {
        for (let list = 1; list <= state.lists; list++) {
          const bits = createBitstring();
          for (const p of Object.values(state.passports)) {
            const set = purpose === 'revocation' ? p.revokedAt : p.suspendedAt;
            if (set !== undefined && Math.floor(p.index / MIN_LIST_ENTRIES) + 1 === list)
              setBit(bits, p.index % MIN_LIST_ENTRIES, true);
          }
          out.push({ purpose, url: listUrl(state.statusBase, purpose, list), bits, statusSize: 1 });
        }
      }
      const size = state.messageSize;
      if (size !== undefined)
        for (let list = 1; list <= state.lists; list++) {
          const bits = messageBits(Object.values(state.passports), list, size);
          out.push({
            purpose: 'message',
            url: listUrl(state.statusBase, 'message', list),
            bits,
            statusSize: size,
          });
        }
      return out;
    },

    async issueLists({ signer, now = new Date(), validForMs, documentLoader }) {
      const out: { url: string; credential: BitstringStatusListCredential }[] = [];
      for (const { purpose, url, bits, statusSize } of this.bitstrings()) {
        const credential = await issueStatusListCredential({
          id: url,
          issuer: { id: options.issuer, signer },
          statusPurpose: purpose,
          bits,
          statusSize,
          now,
          ...(validForMs === undefined ? {} : { validForMs }),
          ...(documentLoader === undefined ? {} : { documentLoader }),
        });
        out.push({ url, credential });
      }
      return out;
    },
  };
}
