// SPDX-License-Identifier: Apache-2.0
// Explicit trust from the Trust fields: pasted DID documents and did:key DIDs, and a signed trust
// bundle verified against the author the user pins. Nothing is trusted by default.
import type { DidDocument, StatusChecker } from '@agent-passport/core';
import { verifyTrustBundle } from '@agent-passport/trust-bundle/bundle';
import type { TrustedIssuer } from '@agent-passport/verifier';
import type { TrustInput } from './types.js';

export interface Trust {
  readonly trustedIssuers: readonly (string | TrustedIssuer)[];
  readonly checkStatus?: StatusChecker;
  readonly trustValidUntil?: Date;
  /** What is trusted, in words. */
  readonly notes: readonly string[];
  /** What could not be used, with the error code when there is one. */
  readonly problems: readonly string[];
}

const codeOf = (e: unknown) => {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ` : '';
};

/** The pasted issuers: JSON documents or did:key lines. */
function pastedIssuers(text: string, problems: string[]): (string | TrustedIssuer)[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      problems.push('the trusted issuers field is not valid JSON');
      return [];
    }
    const out: (string | TrustedIssuer)[] = [];
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      if (typeof item === 'string') out.push(item);
      else if (typeof (item as DidDocument | null)?.id === 'string')
        out.push({ id: (item as DidDocument).id, didDocument: item as DidDocument });
      else problems.push('a trusted issuer entry is neither a DID nor a DID document');
    }
    return out;
  }
  const out: string[] = [];
  for (const line of trimmed.split(/\s*\n\s*/)) {
    if (line.startsWith('did:key:')) out.push(line);
    else
      problems.push(`${line}: only a did:key is trusted by its DID; paste the DID document of other issuers`);
  }
  return out;
}

/** The trust of one run, as of `now`. */
export async function readTrust(input: TrustInput, now: Date): Promise<Trust> {
  const problems: string[] = [];
  const notes: string[] = [];
  const issuers = pastedIssuers(input.docs, problems);
  for (const i of issuers) notes.push(`trusted: ${typeof i === 'string' ? i : i.id}`);
  if (input.bundle.trim() === '') return { trustedIssuers: issuers, notes, problems };
  const author = input.bundleAuthor.trim();
  if (author === '') {
    problems.push('a trust bundle is used only with its author pinned: enter the author did:key');
    return { trustedIssuers: issuers, notes, problems };
  }
  try {
    const bundle = await verifyTrustBundle(input.bundle, { authors: [author], now });
    const config = bundle.verifierConfig();
    notes.push(
      `trust bundle by ${bundle.author}, valid until ${bundle.validUntil.toISOString()}: ${bundle.issuers.map((i) => i.id).join(', ')}`,
    );
    return {
      trustedIssuers: [...issuers, ...config.trustedIssuers],
      checkStatus: config.checkStatus,
      trustValidUntil: config.trustValidUntil,
      notes,
      problems,
    };
  } catch (e) {
    problems.push(`the trust bundle is not used: ${codeOf(e)}${(e as Error).message}`);
    return { trustedIssuers: issuers, notes, problems };
  }
}
