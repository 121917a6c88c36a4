// SPDX-License-Identifier: Apache-2.0
// The hash chain, judged with one entry of look-ahead: an edited entry whose hash was recomputed
// still breaks the next link, and both sides of a broken link are reported. The last entry's
// forward link is the head file.
import type { ErrorCode } from '@agent-passport/core';
import type { Finding, Judge } from './audit-judge.js';
import type { LineResult } from './check-entry.js';
import { GENESIS, type LogHead } from './entry.js';

interface Pending {
  readonly r: LineResult;
  code?: ErrorCode;
  message: string;
}

export interface ChainWalk {
  /** The next entry of the log; the one before it is judged now that its forward link is known. */
  link(r: LineResult): void;
  /** The end of the log: the last entry is held to the head. Returns a finding for an empty log. */
  end(head: LogHead | undefined): Finding | undefined;
  /** A link did not hold. */
  readonly broken: boolean;
}

function backLink(r: LineResult, lastHash: string | undefined, expectedSeq: number | undefined): Finding {
  if (lastHash === undefined)
    return r.prev !== GENESIS || r.seq !== 1
      ? { code: 'ERR_EVIDENCE_TRUNCATED', message: `the log starts at entry ${r.seq}, not at its beginning` }
      : { message: '' };
  if (r.prev === lastHash && r.seq === expectedSeq) return { message: '' };
  return {
    code: 'ERR_EVIDENCE_CHAIN',
    message: `entry ${r.seq} does not follow entry ${(expectedSeq ?? 1) - 1} (deleted, reordered or inserted entries)`,
  };
}

function headLink(last: LineResult, head: LogHead): Finding {
  if ((last.seq as number) < head.seq)
    return {
      code: 'ERR_EVIDENCE_TRUNCATED',
      message: `the log ends at entry ${last.seq}; its head says ${head.seq}`,
    };
  if (last.seq === head.seq && last.hash !== head.hash)
    return { code: 'ERR_EVIDENCE_CHAIN', message: 'the last entry is not the one the head names' };
  return { message: '' };
}

export function createChainWalk(judge: Judge): ChainWalk {
  let pending: Pending | undefined;
  let expectedSeq: number | undefined;
  let lastHash: string | undefined;
  let broken = false;
  const settle = (p: Pending) =>
    judge(p.r, { ...(p.code === undefined ? {} : { code: p.code }), message: p.message });
  return {
    link(r) {
      const back = backLink(r, lastHash, expectedSeq);
      if (back.code !== undefined) {
        broken = true;
        if (back.code === 'ERR_EVIDENCE_CHAIN' && pending !== undefined && pending.code === undefined) {
          pending.code = 'ERR_EVIDENCE_CHAIN';
          pending.message = `the entry after it (${r.seq}) does not link to it`;
        }
      }
      if (pending !== undefined) settle(pending);
      pending = { r, ...(back.code === undefined ? {} : { code: back.code }), message: back.message };
      lastHash = r.hash;
      expectedSeq = (r.seq as number) + 1;
    },
    end(head) {
      if (pending === undefined) {
        if (head === undefined || head.seq === 0) return undefined;
        broken = true;
        return { code: 'ERR_EVIDENCE_TRUNCATED', message: `the log is empty; its head says ${head.seq}` };
      }
      if (head !== undefined && pending.code === undefined) {
        const forward = headLink(pending.r, head);
        if (forward.code !== undefined) {
          broken = true;
          pending.code = forward.code;
          pending.message = forward.message;
        }
      }
      settle(pending);
      pending = undefined;
      return undefined;
    },
    get broken() {
      return broken;
    },
  };
}
