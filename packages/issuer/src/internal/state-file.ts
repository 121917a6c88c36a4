// SPDX-License-Identifier: Apache-2.0
// The issuer state's file (docs/security.md): read and validated (digest, shape, indexes), replaced
// atomically, and updated only under the inter-process lock.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { PassportError } from '@agent-passport/core';
import { acquireLock, describeOwner, writeAtomic } from '@agent-passport/keystore';
import { MIN_LIST_ENTRIES } from '@agent-passport/status';
import { canonicalize, parseJson } from '@agent-passport/strict-json';
import type { IssuerStateData } from '../state.js';
import { isMessageSize, isMessageValue } from './message-lists.js';

/** Where the state lives, whose it is, and how long its lock is waited for. */
export interface StateFile {
  readonly file: string;
  readonly dir: string;
  /** The caller's options, read on every load (as before the split). */
  readonly owner: { readonly issuer: string; readonly statusBase: string };
  readonly lockTimeoutMs: number;
  readonly staleLockMs: number;
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

/** The state on disk (validated), or a fresh one when the file does not exist yet. */
export function loadState(at: StateFile): IssuerStateData {
  if (!existsSync(at.file))
    return { version: 1, issuer: at.owner.issuer, statusBase: at.owner.statusBase, lists: 1, passports: {} };
  let parsed: unknown;
  try {
    parsed = parseJson(readFileSync(at.file), { maxBytes: 256 * 1024 * 1024, maxDepth: 8 });
  } catch (cause) {
    throw new PassportError('ERR_STATE_CORRUPT', `${at.file} is not valid JSON`, { cause });
  }
  return validate(parsed, at.owner.issuer);
}

function saveState(at: StateFile, state: IssuerStateData): void {
  writeAtomic(at.file, at.dir, `${JSON.stringify({ digest: digestOf(state), state })}\n`, 0o600);
}

/** Run `update` on the freshest state under the lock, and save what it returns. */
export async function updateLocked<T>(
  at: StateFile,
  update: (state: IssuerStateData) => [IssuerStateData, T],
): Promise<T> {
  mkdirSync(at.dir, { recursive: true, mode: 0o700 });
  const lock = await acquireLock(`${at.file}.lock`, {
    waitMs: at.lockTimeoutMs,
    breakUnknownAfterMs: at.staleLockMs,
  });
  if (!('release' in lock))
    throw new PassportError(
      'ERR_STATE_LOCKED',
      `${at.file} is locked by ${describeOwner(lock.heldBy)}, for longer than ${at.lockTimeoutMs} ms`,
    );
  try {
    const [next, result] = update(loadState(at));
    if (next !== undefined) {
      // A lock broken while the update ran (by another host after staleLockMs, or by hand) may
      // now be another writer's: saving would overwrite what it saves. Nothing is saved.
      if (!lock.held())
        throw new PassportError(
          'ERR_STATE_LOCKED',
          `${at.file}'s lock was removed or taken by another process while this update ran; nothing was saved`,
        );
      saveState(at, next);
    }
    return result;
  } finally {
    lock.release();
  }
}
