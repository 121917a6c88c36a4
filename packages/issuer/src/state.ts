// SPDX-License-Identifier: Apache-2.0
// The issuer's durable state (docs/security.md): which passports it
// issued, at which status index, and which are revoked or suspended. One JSON file, replaced
// atomically (temp file, fsync, rename, fsync of the folder) under an inter-process lock, so a
// crash at any point leaves either the old or the new state: an index is never handed out twice
// and a revocation the caller was told about is never lost. The status lists are derived from it.
// The lock names its owner (pid, host, start): a killed owner's lock is broken at once.
import { dirname } from 'node:path';
import type { DocumentLoader, Signer, StatusListEntry } from '@agent-passport/core';
import type {
  BitstringStatusListCredential,
  ListPurpose,
  MessageStatusOptions,
} from '@agent-passport/status';
import { type MessageStatusEntry, messageOptions } from './internal/message-lists.js';
import { loadState, type StateFile, updateLocked } from './internal/state-file.js';
import { signLists, stateBitstrings } from './internal/state-lists.js';
import { allocateIn, changeIn, checkNewPassport, setMessageIn } from './internal/state-updates.js';

export { listUrl } from './internal/state-lists.js';

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
  const at: StateFile = {
    file,
    dir: dirname(file),
    owner: options,
    lockTimeoutMs,
    staleLockMs,
  };
  const message = options.message === undefined ? undefined : messageOptions(options.message);
  const load = (): IssuerStateData => loadState(at);

  return {
    file,
    read: load,

    allocate(passport) {
      checkNewPassport(passport);
      return updateLocked(at, (state) => allocateIn(state, passport, message, file));
    },

    change(selector, change, when) {
      if (!(when instanceof Date) || Number.isNaN(when.getTime()))
        throw new TypeError('at must be a valid Date');
      const time = when.toISOString();
      return updateLocked(at, (state) => changeIn(state, selector, change, time));
    },

    setMessage(selector, value) {
      return updateLocked(at, (state) => setMessageIn(state, selector, value));
    },

    bitstrings() {
      return stateBitstrings(load());
    },

    issueLists(given) {
      return signLists(options.issuer, () => this.bitstrings(), given);
    },
  };
}
