// SPDX-License-Identifier: Apache-2.0
// The status lists derived from the issuer state: their URLs, their bits, and their signed credentials.
import type { DocumentLoader, Signer } from '@agent-passport/core';
import {
  type BitstringStatusListCredential,
  createBitstring,
  issueStatusListCredential,
  type ListPurpose,
  MIN_LIST_ENTRIES,
  setBit,
} from '@agent-passport/status';
import type { IssuerStateData } from '../state.js';
import { messageBits } from './message-lists.js';

export function listUrl(statusBase: string, purpose: ListPurpose, list: number): string {
  return `${statusBase}/${purpose}/${list}`;
}

/** One list's bits, as the state says they are. */
export interface ListBits {
  purpose: ListPurpose;
  url: string;
  bits: Uint8Array;
  statusSize: number;
}

/** The bits of every list: revocation and suspension (one bit each), then message when configured. */
export function stateBitstrings(state: IssuerStateData): ListBits[] {
  const out: ListBits[] = [];
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
}

/** Sign every list `bitstrings()` returns, as `issuer`. */
export async function signLists(
  issuer: string,
  bitstrings: () => readonly ListBits[],
  {
    signer,
    now = new Date(),
    validForMs,
    documentLoader,
  }: {
    readonly signer: Signer;
    readonly now?: Date;
    readonly validForMs?: number;
    readonly documentLoader?: DocumentLoader;
  },
): Promise<{ url: string; credential: BitstringStatusListCredential }[]> {
  const out: { url: string; credential: BitstringStatusListCredential }[] = [];
  for (const { purpose, url, bits, statusSize } of bitstrings()) {
    const credential = await issueStatusListCredential({
      id: url,
      issuer: { id: issuer, signer },
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
}
