// SPDX-License-Identifier: Apache-2.0
// A request verifier's configuration, validated once and frozen: the checks read these settings,
// never the caller's options object (a caller changing it later changes nothing).
import type { DelegationVerifier } from '@agent-passport/delegation';
import {
  createMemoryStore,
  DEFAULT_MAX_BODY_BYTES,
  type ReplayStore,
  type UsageStore,
} from '@agent-passport/http-signatures';
import type { PassportVerifier } from '@agent-passport/verifier';
import { createChainCache } from '../delegated.js';
import type { EvidenceSink, RequestVerification, RequestVerifierOptions } from '../verify-request.js';
import { createKnownPassports, type KnownPassports } from './known-passports.js';

export interface RequestSettings {
  readonly verifier: PassportVerifier;
  readonly clock: () => Date;
  readonly store: ReplayStore & UsageStore;
  readonly maxAgeSeconds: number;
  readonly maxSkewSeconds: number;
  readonly maxBodyBytes: number;
  readonly requiredTag: string | undefined;
  readonly delegation: DelegationVerifier | undefined;
  readonly evidence: EvidenceSink | undefined;
  readonly recordRefused: boolean;
  /** The service's own last check (RequestVerifierOptions.authorize). */
  readonly authorize: RequestVerifierOptions['authorize'];
  /** Verified passports by reference (and the resolver for those this instance has not seen). */
  readonly passports: KnownPassports;
  /** Verified delegation chains by reference. */
  readonly chains: ReturnType<typeof createChainCache>;
}

function assertVerifier(options: RequestVerifierOptions): void {
  if (
    options === null ||
    typeof options !== 'object' ||
    typeof options.verifier?.verifyCredential !== 'function'
  ) {
    throw new TypeError('options.verifier is required (createVerifier from @agent-passport/verifier)');
  }
}

/** Validate the options (TypeError, RangeError) and freeze what the checks read. */
export function requestSettings(options: RequestVerifierOptions): RequestSettings {
  assertVerifier(options);
  const clock = options.clock ?? (() => new Date());
  const maxSkewSeconds = options.maxSkewSeconds ?? 60;
  if (
    typeof maxSkewSeconds !== 'number' ||
    !Number.isFinite(maxSkewSeconds) ||
    maxSkewSeconds < 0 ||
    maxSkewSeconds > 600
  )
    throw new RangeError('maxSkewSeconds must be between 0 and 600');
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0)
    throw new RangeError('maxBodyBytes must be a non-negative integer');
  const cacheSize = options.passportCacheSize ?? 1000;
  if (!Number.isInteger(cacheSize) || cacheSize < 1)
    throw new RangeError('passportCacheSize must be a positive integer');
  const resolve = options.resolvePassportRef;
  const { authorize } = options;
  if (authorize !== undefined && typeof authorize !== 'function')
    throw new TypeError('authorize must be a function');
  return Object.freeze({
    verifier: options.verifier,
    clock,
    // Nonces expire at an absolute time from `created`: the default store reads the same clock.
    store: options.store ?? createMemoryStore({ now: () => clock().getTime() }),
    maxAgeSeconds: options.maxAgeSeconds ?? 300,
    maxSkewSeconds,
    maxBodyBytes,
    requiredTag: options.requiredTag,
    delegation: options.delegation,
    evidence: options.evidence,
    recordRefused: options.recordRefused === true,
    authorize:
      authorize === undefined
        ? undefined
        : (request: Request, result: RequestVerification) => authorize.call(options, request, result),
    passports: createKnownPassports(
      cacheSize,
      resolve === undefined ? undefined : (ref) => resolve.call(options, ref),
      options.verifier,
    ),
    chains: createChainCache(1000, options.resolveDelegationRef),
  });
}
