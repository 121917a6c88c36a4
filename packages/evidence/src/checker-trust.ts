// SPDX-License-Identifier: Apache-2.0
// What an audit trusts, from its trust bundles: every issuer's DID document (the newest bundle's
// wins, since key history is cumulative: it knows every retirement and compromise) and every
// version of every status list (each entry uses the newest version issued by its time).
import type { DidDocument, JsonObject } from '@agent-passport/core';
import { createStatusChecker } from '@agent-passport/status';
import { type TrustBundle, verifyTrustBundle } from '@agent-passport/trust-bundle';
import type { VerifierConfig } from '@agent-passport/verifier';

export interface CheckerInit {
  /** Trust bundles (JSON text), possibly several from different times. */
  readonly bundles: readonly string[];
  readonly authors: readonly string[];
  readonly statusMaxAgeSeconds: number;
  /** The reference path only (no fast parse or hash): for the fast path's differential tests. */
  readonly reference?: boolean;
}

/** The verifier configuration an audit uses: no clock (every call passes its entry's own time). */
export type AuditTrust = Pick<VerifierConfig, 'trustedIssuers' | 'checkStatus'>;

/** The clock skew the audit's verifiers and status checker tolerate (their default, stated). */
export const AUDIT_SKEW_SECONDS = 60;

/** Every bundle of `init` verified against its authors (expired ones kept: entries are dated). */
export function verifyBundles(init: Pick<CheckerInit, 'bundles' | 'authors'>): Promise<TrustBundle[]> {
  return Promise.all(
    init.bundles.map((b) => verifyTrustBundle(b, { authors: init.authors, allowExpired: true })),
  );
}

/**
 * The trust, and every version of every status list it holds (what a passport's status may use).
 * `verified`: the bundles of `init` as `verifyBundles` returned them (the audit's own thread has
 * verified them already); else they are verified here.
 */
export async function trustFromBundles(
  init: CheckerInit,
  verified?: readonly TrustBundle[],
): Promise<{ readonly trust: AuditTrust; readonly statusLists: readonly object[] }> {
  const bundles = verified ?? (await verifyBundles(init));
  if (bundles.length === 0) throw new TypeError('an audit needs at least one trust bundle');
  const newest = [...bundles].sort((a, b) => a.validFrom.getTime() - b.validFrom.getTime()).at(-1);
  const documents = new Map<string, DidDocument>();
  for (const b of bundles) for (const i of b.issuers) documents.set(i.id, i.didDocument);
  for (const i of newest?.issuers ?? []) documents.set(i.id, i.didDocument);
  const lists = new Map<string, object>();
  for (const b of bundles)
    for (const i of b.issuers)
      for (const l of i.statusLists as JsonObject[])
        lists.set(`${String(l['id'])} ${String(l['validFrom'])}`, l);
  const statusLists = [...lists.values()];
  const trust = {
    trustedIssuers: [...documents].map(([id, didDocument]) => ({ id, didDocument })),
    checkStatus: createStatusChecker({
      lists: statusLists,
      maxAgeSeconds: init.statusMaxAgeSeconds,
      maxSkewSeconds: AUDIT_SKEW_SECONDS,
      laterListsProveClear: true,
    }),
  };
  return { trust, statusLists };
}
