// SPDX-License-Identifier: Apache-2.0
// The issuer's own status lists, signed from the issuer state: re-signed after every change and
// when a quarter of their validity has passed, and the status checker over them (plus the lists of
// other issuers given in the configuration). Several server processes may share one state file
// (`serve --workers`): a change written by another process (the file replaced, so another inode or
// time) makes this one sign its lists again before relying on them.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { createDocumentLoader } from '@agent-passport/contexts';
import { type IssuerState, openIssuerState } from '@agent-passport/issuer';
import { type BitstringStatusListCredential, createStatusReader } from '@agent-passport/status';
import type { Settings } from './config.js';

type Lists = Map<string, BitstringStatusListCredential>;
/** Reads what each status entry of a credential says (a message value among them). */
export type StatusCheck = ReturnType<typeof createStatusReader>;

export interface StatusLists {
  /** The issuer state, when the server keeps status (a state file and an https origin). */
  readonly state: IssuerState | undefined;
  /** The signed lists by URL (none without a state). */
  lists(): Promise<Lists>;
  /** The status reader over this issuer's lists and the configured ones. */
  checker(): Promise<StatusCheck>;
  /** This process changed a status bit: sign again. */
  changed(): void;
}

/** What identifies one written version of the state file (it is replaced on every write). */
function fileVersion(file: string): string {
  const s = statSync(file, { throwIfNoEntry: false, bigint: true });
  return s === undefined ? '' : `${s.ino}:${s.mtimeNs}:${s.size}`;
}

/** A digest of every list's URL and bits: what the signed lists say. */
function bitsOf(state: IssuerState): string {
  const hash = createHash('sha256');
  for (const { url, bits } of state.bitstrings()) hash.update(url).update('\n').update(bits);
  return hash.digest('base64url');
}

export function openStatusLists(settings: Settings): StatusLists {
  const { stateFile, statusBase, did, signer, clock, listValidForMs, messageStatus } = settings;
  const state =
    stateFile !== undefined && statusBase !== undefined
      ? openIssuerState(stateFile, {
          issuer: did,
          statusBase,
          ...(messageStatus === undefined ? {} : { message: messageStatus }),
        })
      : undefined;
  const documentLoader = createDocumentLoader({ extra: settings.contexts });
  let signed: { at: number; version: string; bits: string; lists: Lists } | undefined;
  let signing: Promise<Lists> | undefined;
  let check: StatusCheck | undefined;
  let changes = 0;

  function changed(): void {
    changes++;
    signed = undefined;
    check = undefined;
  }

  function sign(issuer: IssuerState, now: Date): Promise<Lists> {
    const generation = changes;
    // Read before signing: the lists signed are at least as new as what `bits` describes.
    const version = fileVersion(issuer.file);
    const bits = bitsOf(issuer);
    signing = issuer
      .issueLists({ signer, now, validForMs: listValidForMs, documentLoader })
      .then((issued) => {
        const lists = new Map(issued.map((l) => [l.url, l.credential]));
        if (generation === changes) {
          signed = { at: now.getTime(), version, bits, lists };
          check = undefined;
        }
        return lists;
      })
      .finally(() => {
        signing = undefined;
      });
    return signing;
  }

  /** The file was written (here or by another process): sign again only if a bit or list changed. */
  function followFile(issuer: IssuerState): void {
    if (signed === undefined) return;
    const version = fileVersion(issuer.file);
    if (version === signed.version) return;
    if (bitsOf(issuer) === signed.bits) signed.version = version;
    else changed();
  }

  function lists(): Promise<Lists> {
    if (state === undefined) return Promise.resolve(new Map());
    const now = clock();
    followFile(state);
    if (signed !== undefined && now.getTime() - signed.at < listValidForMs / 4)
      return Promise.resolve(signed.lists);
    return signing ?? sign(state, now);
  }

  async function checker(): Promise<StatusCheck> {
    const own = await lists();
    check ??= createStatusReader({
      lists: [...own.values(), ...settings.statusLists],
      maxAgeSeconds: Math.ceil(listValidForMs / 1000),
      maxSkewSeconds: settings.skewMs / 1000,
    });
    return check;
  }

  return { state, lists, checker, changed };
}
