// SPDX-License-Identifier: Apache-2.0
// One verifier, configured once, answering verifyCredential and verifyPresentation with the ordered
// checks of docs/architecture.md ("The data flow of a verification"): a list of named checks over
// one per-call context. It never throws on untrusted input: every outcome is a result.
import {
  type AgentPassport,
  type Check,
  type CheckRun,
  type DidKey,
  deepFreeze,
  type ErrorCode,
  runChecksOn,
} from '@agent-passport/core';
import { createRdfcBudget } from '@agent-passport/suites';
import { createPassportCache, type PassportCache } from './cache.js';
import { checkHolder } from './checks/holder.js';
import { checkIssuerKey, checkIssuerProof, checkIssuerTrusted } from './checks/issuer.js';
import { parseCredential, parsePresentation } from './checks/parse.js';
import { checkPurposeScopes, checkStatus, checkValidity } from './checks/passport.js';
import { checkSchema } from './checks/schema.js';
import { normaliseConfig, type Settings, type VerifierConfig } from './config.js';
import type { Binding, CallContext } from './context.js';
import { createPassportHandle, type PassportHandle } from './handle.js';

export type { StatusChecker } from '@agent-passport/core';
export type { TrustedIssuer, VerifierConfig } from './config.js';
export { createPassportHandle, type PassportHandle } from './handle.js';

/** Names of the checks, in the order they run (docs/architecture.md). */
export const CHECK_NAMES = [
  'parse',
  'schema',
  'issuer-trusted',
  'issuer-key',
  'issuer-proof',
  'validity',
  'status',
  'holder',
  'purpose-scopes',
] as const;
export type CheckName = (typeof CHECK_NAMES)[number];

export interface CallOptions {
  /** Scopes this call requires, on top of the configured ones. */
  readonly requiredScopes?: readonly string[];
  /** The time of this call (default: the configured clock, read once). */
  readonly now?: Date;
}

export interface PresentationOptions extends CallOptions {
  /** The challenge this verifier issued: required, compared exactly. */
  readonly challenge: string;
  /** This verifier's domain: when given, compared exactly. */
  readonly domain?: string;
}

export interface PassportVerification {
  readonly verified: boolean;
  readonly checks: readonly Check[];
  readonly errors: readonly { readonly code: ErrorCode; readonly message: string }[];
  /** The verified passport (deep-frozen), only when `verified`. */
  readonly passport?: AgentPassport;
  /** The agent's did:key, only when `verified`. */
  readonly agent?: DidKey;
}

export interface PassportVerifier {
  /**
   * A passport: its bytes or text (as received), a parsed object, or a handle
   * (`createPassportHandle`), which gets the verdict its bytes get without hashing them again.
   */
  verifyCredential(input: unknown, options?: CallOptions): Promise<PassportVerification>;
  verifyPresentation(input: unknown, options: PresentationOptions): Promise<PassportVerification>;
  /**
   * A handle for passport bytes (`createPassportHandle`), for a caller that keeps passports and
   * verifies them again: optional, so that a verifier made elsewhere still fits.
   */
  passportHandle?(bytes: Uint8Array): PassportHandle;
}

/** A named check over the call's context. */
type NamedCheck = readonly [CheckName, (ctx: CallContext) => Promise<void> | void];

/**
 * The checks of a credential (`holder` false) or a presentation, made once per verifier: `parse`
 * reads the call's input from the context, then checks 2–7 and 9, with `holder` (8) for
 * presentations.
 */
function passportChecks(cache: PassportCache, holder: boolean): NamedCheck[] {
  return [
    holder
      ? ['parse', (ctx) => parsePresentation(ctx, cache, ctx.input)]
      : ['parse', (ctx) => parseCredential(ctx, cache, ctx.input)],
    ['schema', (ctx) => checkSchema(ctx, cache)],
    ['issuer-trusted', checkIssuerTrusted],
    ['issuer-key', checkIssuerKey],
    ['issuer-proof', (ctx) => checkIssuerProof(ctx, cache)],
    ['validity', checkValidity],
    ['status', checkStatus],
    ...(holder ? [['holder', checkHolder] as const] : []),
    ['purpose-scopes', checkPurposeScopes],
  ];
}

function callTime(settings: Settings, now: Date | undefined): Date {
  if (now === undefined) return settings.clock();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('now must be a valid Date');
  return now;
}

function callScopes(settings: Settings, options: CallOptions | undefined): readonly string[] {
  const extra = options?.requiredScopes ?? [];
  if (!Array.isArray(extra) || extra.some((s) => typeof s !== 'string'))
    throw new TypeError('requiredScopes must be an array of strings');
  return [...settings.requiredScopes, ...extra];
}

function presentationBinding(options: PresentationOptions): Binding {
  if (options === null || typeof options !== 'object') throw new TypeError('options are required');
  if (typeof options.challenge !== 'string' || options.challenge.length === 0)
    throw new TypeError('challenge must be a non-empty string');
  if (options.domain !== undefined && (typeof options.domain !== 'string' || options.domain.length === 0))
    throw new TypeError('domain must be a non-empty string');
  return { challenge: options.challenge, domain: options.domain };
}

function newContext(
  settings: Settings,
  input: unknown,
  options: CallOptions | undefined,
  binding: Binding | undefined,
): CallContext {
  const scopes = callScopes(settings, options);
  const now = callTime(settings, options?.now);
  return {
    settings,
    input,
    now,
    nowMs: now.getTime(),
    scopes,
    rdfcBudget: createRdfcBudget(),
    binding,
    prepared: undefined,
    key: undefined,
    hit: undefined,
    document: undefined,
    vcdmChecked: false,
    presentation: undefined,
    credential: undefined,
    issuer: undefined,
    issuerDocument: undefined,
    issuerMethod: undefined,
    issuerStatic: false,
  };
}

async function run(ctx: CallContext, checks: readonly NamedCheck[]): Promise<PassportVerification> {
  const result: CheckRun = await runChecksOn(ctx, checks);
  const credential = ctx.credential;
  if (result.errors.length > 0 || credential === undefined)
    return { verified: false, checks: result.checks, errors: result.errors };
  // The schema check proved the shape: the frozen object is an AgentPassport.
  const passport = deepFreeze(credential) as unknown as AgentPassport;
  return {
    verified: true,
    checks: result.checks,
    errors: [],
    passport,
    agent: passport.credentialSubject.id,
  };
}

/** Create a verifier: configured once, then called per credential or presentation. */
export function createVerifier(config: VerifierConfig): PassportVerifier {
  const settings = normaliseConfig(config);
  const cache = createPassportCache(settings.cacheSize);
  const credentialChecks = passportChecks(cache, false);
  const presentationChecks = passportChecks(cache, true);
  return Object.freeze({
    async verifyCredential(input: unknown, options?: CallOptions): Promise<PassportVerification> {
      // Awaited here: returning the promise would cost two more turns of the microtask queue.
      return await run(newContext(settings, input, options, undefined), credentialChecks);
    },
    async verifyPresentation(input: unknown, options: PresentationOptions): Promise<PassportVerification> {
      return await run(
        newContext(settings, input, options, presentationBinding(options)),
        presentationChecks,
      );
    },
    passportHandle: createPassportHandle,
  });
}
