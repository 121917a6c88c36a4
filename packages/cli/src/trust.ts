// SPDX-License-Identifier: Apache-2.0
// What `verify` trusts: a signed bundle (--bundle, pinned --bundle-author), or --trust issuers with
// --status lists, or by default this home's organisation with the status lists this home signed.
import { type DidDocument, PassportError } from '@agent-passport/core';
import type { TrustedIssuer, VerifierConfig } from '@agent-passport/verifier';
import { bundleAuthors, readTrustBundle } from './bundle-authors.js';
import type { Home } from './home.js';
import { readJsonFile } from './internal/files.js';
import { MAX_STATUS_LIST_BYTES } from './limits.js';
import { listsIn } from './status-lists.js';
import { usage } from './usage.js';

export interface TrustOptions {
  readonly trust?: string[];
  readonly status?: string[];
  readonly bundle?: string;
  readonly bundleAuthor?: string[];
  /** Refuse status lists older than this. */
  readonly statusMaxAgeSeconds: number;
}

/** How to trust an issuer, for messages about an untrusted one. */
export const HOW_TO_TRUST =
  'trust an issuer with --trust <did:key or DID document file>, or --bundle <trust bundle> with --bundle-author';

type TrustConfig = Pick<VerifierConfig, 'trustedIssuers'> & Partial<VerifierConfig>;

export async function trustConfig(opts: TrustOptions, home: Home, now: Date): Promise<TrustConfig> {
  const trust = opts.trust ?? [];
  const statusFiles = opts.status ?? [];
  if (opts.bundle !== undefined) {
    if (trust.length > 0 || statusFiles.length > 0)
      throw usage('--bundle is the whole trust: not with --trust or --status');
    const authors = await bundleAuthors(opts.bundleAuthor, home);
    const bundle = await readTrustBundle(opts.bundle, authors, now);
    return bundle.verifierConfig({ statusMaxAgeSeconds: opts.statusMaxAgeSeconds });
  }
  const lists =
    statusFiles.length > 0
      ? statusFiles.map((f) => readJsonFile(f, MAX_STATUS_LIST_BYTES))
      : trust.length === 0
        ? listsIn(home.statusDir)
        : [];
  const checkStatus =
    lists.length === 0
      ? undefined
      : (await import('@agent-passport/status')).createStatusChecker({
          lists,
          maxAgeSeconds: opts.statusMaxAgeSeconds,
        });
  return {
    trustedIssuers: trustFrom(trust, home),
    ...(checkStatus === undefined ? {} : { checkStatus }),
  };
}

/** Trust: each --trust is a DID (did:key) or the path of a DID document; default: this home's org. */
function trustFrom(values: readonly string[], home: Home): (string | TrustedIssuer)[] {
  if (values.length === 0) {
    if (!home.hasOrg())
      throw new PassportError(
        'ERR_ISSUER_UNTRUSTED',
        `no --trust given and no organisation in ${home.dir} to trust: ${HOW_TO_TRUST}`,
      );
    const org = home.readOrg();
    return [{ id: org.did, didDocument: org.didDocument }];
  }
  return values.map((v) => {
    if (v.startsWith('did:')) return v;
    const doc = readJsonFile(v) as DidDocument;
    if (typeof doc?.id !== 'string')
      throw new PassportError('ERR_DID_DOCUMENT_INVALID', `${v} is not a DID document`);
    return { id: doc.id, didDocument: doc };
  });
}
