// SPDX-License-Identifier: Apache-2.0
// What the passport and the delegation reports both take from the page: the verifier's trust, time,
// purposes and origin, and a presentation's challenge, domain and scopes, read from the Options the
// same way `agent-passport verify` reads its flags.
import type { StatusChecker } from '@agent-passport/core';
import type { TrustedIssuer } from '@agent-passport/verifier';
import type { Trust } from './trust.js';
import { type RunSettings, words } from './types.js';

/** Why a presentation is not verified without a challenge. */
export const NEEDS_CHALLENGE =
  'a presentation is verified against the challenge you issued: enter it in Options';

export interface PageVerifierOptions {
  readonly trustedIssuers: readonly (string | TrustedIssuer)[];
  readonly checkStatus?: StatusChecker;
  readonly trustValidUntil?: Date;
  readonly clock: () => Date;
  readonly acceptedPurposes?: string[];
  readonly origin?: string;
}

/** The verifier's options: the page's trust, its as-of time, and the purposes and origin asked for. */
export function verifierOptions(trust: Trust, settings: RunSettings): PageVerifierOptions {
  const o = settings.options;
  const purposes = words(o.purposes);
  return {
    trustedIssuers: trust.trustedIssuers,
    ...(trust.checkStatus === undefined ? {} : { checkStatus: trust.checkStatus }),
    ...(trust.trustValidUntil === undefined ? {} : { trustValidUntil: trust.trustValidUntil }),
    clock: () => settings.now,
    ...(purposes.length === 0 ? {} : { acceptedPurposes: purposes }),
    ...(o.origin.trim() === '' ? {} : { origin: o.origin.trim() }),
  };
}

export interface PagePresentationOptions {
  readonly challenge: string;
  readonly domain?: string;
  readonly requiredScopes: string[];
}

/** A presentation's verification options: the challenge and domain the user issued, the scopes asked for. */
export function presentationOptions(settings: RunSettings): PagePresentationOptions {
  const o = settings.options;
  return {
    challenge: o.challenge.trim(),
    ...(o.domain.trim() === '' ? {} : { domain: o.domain.trim() }),
    requiredScopes: words(o.scopes),
  };
}
