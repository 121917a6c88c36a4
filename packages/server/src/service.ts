// SPDX-License-Identifier: Apache-2.0
// What every route shares: the checked settings, the closed-world document loader, the DID
// resolver (this issuer, configured documents, did:key), the status lists, and the context of one
// verification request (one clock reading, one RDFC budget).
import { createDocumentLoader } from '@agent-passport/contexts';
import type { DidDocument, DocumentLoader } from '@agent-passport/core';
import { isDidKey, resolveDidKey } from '@agent-passport/did-key';
import { assertStatusAllows } from '@agent-passport/status';
import { createRdfcBudget, warmUpRdfc } from '@agent-passport/suites';
import type { Settings } from './config.js';
import { apiError } from './errors.js';
import { openStatusLists, type StatusLists } from './status-lists.js';
import { createDelegatedCheck, type DelegatedCheck } from './verify/delegated.js';
import type { VerificationResult, VerifyContext } from './verify/result.js';

export interface Service {
  readonly settings: Settings;
  readonly documentLoader: DocumentLoader;
  readonly status: StatusLists;
  /** A delegated agent's presentation (a passport and its delegation chain), verified whole. */
  readonly delegated: DelegatedCheck;
  /** The context of one verification request; status is checked unless `statusAsked` is false. */
  verifyContext(statusAsked: boolean): VerifyContext;
  /** A verification refused before any check: the configured trust has expired. */
  trustExpired(): VerificationResult | undefined;
  /** Resolves once the service's lazily loaded parts (RDFC-1.0) are loaded; never rejects. */
  readonly ready: Promise<void>;
}

/**
 * Load RDFC-1.0 now when the service uses it: a fresh process (each `serve --workers` process)
 * would otherwise wait for its loading in the first eddsa-rdfc-2022 request.
 */
function warmRdfc(settings: Settings, documentLoader: DocumentLoader): Promise<void> {
  const used = [...settings.cryptosuites, ...settings.verifyCryptosuites];
  return used.includes('eddsa-rdfc-2022') ? warmUpRdfc(documentLoader) : Promise.resolve();
}

export function createService(settings: Settings): Service {
  const documentLoader = createDocumentLoader({ extra: settings.contexts });
  const status = openStatusLists(settings);
  const ready = warmRdfc(settings, documentLoader);

  async function resolve(id: string): Promise<DidDocument> {
    const known = settings.didDocuments.get(id);
    if (known !== undefined) return known;
    if (isDidKey(id)) return resolveDidKey(id);
    throw apiError(
      'ERR_DID_NOT_FOUND',
      `${id} is not known to this server (only did:key and configured documents)`,
    );
  }

  function verifyContext(statusAsked: boolean): VerifyContext {
    const now = settings.clock();
    return {
      statusAsked,
      now,
      skewMs: settings.skewMs,
      documentLoader,
      contexts: settings.contexts,
      cryptosuites: settings.verifyCryptosuites,
      // Its CPU clock starts when an eddsa-rdfc-2022 document is first canonicalised.
      rdfcBudget: createRdfcBudget(settings.rdfcLimits),
      resolve,
      ...(settings.trustedIssuers === undefined ? {} : { trustedIssuers: settings.trustedIssuers }),
      checkStatus: async (credential, issuerDocument) => {
        const read = await status.checker();
        const results = await read(credential as never, now, { issuerDocument } as never);
        assertStatusAllows(results);
        return results;
      },
    };
  }

  function trustExpired(): VerificationResult | undefined {
    const until = settings.trustValidUntil;
    if (until === undefined || settings.clock().getTime() <= until.getTime()) return undefined;
    const message = `the trust bundle expired at ${until.toISOString()}: load a fresh one`;
    return {
      verified: false,
      checks: ['trust'],
      warnings: [],
      errors: [{ code: 'ERR_BUNDLE_EXPIRED', message, check: 'trust' }],
    };
  }

  const delegated = createDelegatedCheck(settings, status);
  return { settings, documentLoader, status, delegated, verifyContext, trustExpired, ready };
}
