// SPDX-License-Identifier: Apache-2.0
// One call verifies a delegation chain, from the organisation's passport down to the presenting
// agent, with ordered coded checks (the passport verifier's style: never throws on input). The
// passport goes through the passport verifier's public API; each link's proof through the suites.
import { createDocumentLoader } from '@agent-passport/contexts';
import { type AgentPassport, type Check, type ErrorCode, runChecks } from '@agent-passport/core';
import { type CallOptions, createVerifier, type VerifierConfig } from '@agent-passport/verifier';
import { type ChainState, type ChainVerifierContext, chainSteps, digestOf } from './chain-steps.js';
import { createLinkSignerCheck } from './link-signer.js';
import { delegationView, type ParentView } from './rules.js';
import type { AgentDelegation, ChainLink } from './types.js';
import { unpackPresentation } from './unpack.js';

export const CHAIN_CHECK_NAMES = [
  'chain',
  'passport',
  'loops',
  'parents',
  'signers',
  'scopes',
  'windows',
  'depth',
  'audience',
  'max-calls',
  'validity',
  'status',
  'holder',
  'required-scopes',
] as const;

/** Longest chain (links below the passport) a verifier accepts unless told otherwise. */
export const DEFAULT_MAX_CHAIN_LENGTH = 4;

export interface DelegationVerifierConfig extends VerifierConfig {
  /** Links below the passport, at most (default 4, at most 8): deeper chains are refused. */
  readonly maxChainLength?: number;
  /** Link proofs remembered by digest (default 1000, 0 disables). */
  readonly linkCacheSize?: number;
}

/** A chain as it travels: the organisation's passport, then each delegation, root first. */
export interface DelegationChainInput {
  readonly passport: unknown;
  readonly delegations: readonly unknown[];
}

export interface ChainCallOptions extends CallOptions {
  /** The did:key that proved possession (the request or presentation signer): must be the leaf. */
  readonly presenter: string;
}

export interface ChainVerification {
  readonly verified: boolean;
  readonly checks: readonly Check[];
  readonly errors: readonly { readonly code: ErrorCode; readonly message: string }[];
  /** Only when verified: the passport, then every delegation, root first. */
  readonly chain?: readonly ChainLink[];
  /** Only when verified: organisation → agent → … → presenting sub-agent. */
  readonly principals?: readonly string[];
  readonly passport?: AgentPassport;
  /** Only when verified: the presenting agent (the leaf's subject) and the scopes it holds. */
  readonly agent?: string;
  readonly scopes?: readonly string[];
}

export interface ChainPresentationOptions extends CallOptions {
  /** The challenge this verifier issued: required, compared exactly. */
  readonly challenge: string;
  /** This verifier's domain: when given, compared exactly. */
  readonly domain?: string;
}

export interface DelegationVerifier {
  verifyChain(input: DelegationChainInput, options: ChainCallOptions): Promise<ChainVerification>;
  /** A presentation of [passport, ...delegations], signed by the leaf's subject. */
  verifyPresentation(input: unknown, options: ChainPresentationOptions): Promise<ChainVerification>;
}

export function createDelegationVerifier(config: DelegationVerifierConfig): DelegationVerifier {
  const maxChainLength = config.maxChainLength ?? DEFAULT_MAX_CHAIN_LENGTH;
  if (!Number.isInteger(maxChainLength) || maxChainLength < 1 || maxChainLength > 8)
    throw new RangeError('maxChainLength must be an integer from 1 to 8');
  const context: ChainVerifierContext = {
    config,
    maxChainLength,
    passports: createVerifier(config),
    clock: config.clock ?? (() => new Date()),
    skewMs: (config.maxSkewSeconds ?? 60) * 1000,
    documentLoader: createDocumentLoader(),
    checkSigner: createLinkSignerCheck({
      cryptosuites: config.cryptosuites,
      cacheSize: config.linkCacheSize ?? 1000,
    }),
    digests: new WeakMap(),
  };
  return {
    verifyChain: (input, options) => verifyChain(context, input, options),
    verifyPresentation: (input, options) => verifyPresentation(context, input, options),
  };
}

async function verifyChain(
  context: ChainVerifierContext,
  input: DelegationChainInput,
  options: ChainCallOptions,
): Promise<ChainVerification> {
  const state: ChainState = { links: [], views: [] };
  if (options.now !== undefined && (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())))
    throw new TypeError('now must be a valid Date');
  // One time per call: the caller's `now` (a request verifier hands its own), else the clock.
  const now = options.now ?? context.clock();
  const { checks, errors } = await runChecks(chainSteps(context, state, input, options, now));
  if (errors.length > 0) return { verified: false, checks, errors };
  const passport = state.passport as AgentPassport;
  const chain: ChainLink[] = [
    link(passport.id, state.views[0] as ParentView, passport.issuer),
    ...state.links.map((l, i) =>
      link(l.id, { ...delegationView(l), digestMultibase: digestOf(context, state, i) }, l.issuer),
    ),
  ];
  const leaf = state.links.at(-1) as AgentDelegation;
  return {
    verified: true,
    checks,
    errors,
    chain,
    principals: [passport.issuer, ...chain.map((c) => c.subject)],
    passport,
    agent: leaf.credentialSubject.id,
    scopes: leaf.credentialSubject.scopes,
  };
}

/** The presentation unpacked (its own check), then the chain it carries, held by its signer. */
async function verifyPresentation(
  context: ChainVerifierContext,
  input: unknown,
  options: ChainPresentationOptions,
): Promise<ChainVerification> {
  let unpacked: { chain: DelegationChainInput; holder: string } | undefined;
  const presentation = await runChecks([
    [
      'presentation',
      async () => {
        unpacked = await unpackPresentation(input, options, context.documentLoader, context.config);
      },
    ],
  ]);
  if (unpacked === undefined) {
    const skipped = CHAIN_CHECK_NAMES.map((name) => ({ name, ok: false, skipped: true }));
    return { verified: false, checks: [...presentation.checks, ...skipped], errors: presentation.errors };
  }
  const { requiredScopes } = options;
  const result = await verifyChain(context, unpacked.chain, {
    presenter: unpacked.holder,
    ...(requiredScopes === undefined ? {} : { requiredScopes }),
  });
  return { ...result, checks: [...presentation.checks, ...result.checks] };
}

function link(id: string, view: ParentView, issuer: string): ChainLink {
  return {
    id,
    digestMultibase: view.digestMultibase,
    issuer,
    subject: view.subject as ChainLink['subject'],
    scopes: view.scopes,
    ...(view.maxCalls === undefined ? {} : { maxCalls: view.maxCalls }),
  };
}
