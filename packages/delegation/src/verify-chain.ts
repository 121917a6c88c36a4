// SPDX-License-Identifier: Apache-2.0
// One call verifies a delegation chain, from the organisation's passport down to the presenting
// agent, with ordered coded checks (the passport verifier's style: never throws on input). The
// passport goes through the passport verifier's public API; each link's proof through the suites.
import { createDocumentLoader } from '@agent-passport/contexts';
import {
  type AgentPassport,
  type Check,
  CheckFailure,
  type CheckStep,
  type ErrorCode,
  runChecks,
} from '@agent-passport/core';
import { type CallOptions, createVerifier, type VerifierConfig } from '@agent-passport/verifier';
import {
  assertAncestorDepths,
  assertInAudience,
  assertLeafGrants,
  assertNoLoops,
  assertPresenter,
  assertValidNow,
  checkLinkStatus,
  parseChain,
} from './chain-rules.js';
import { credentialDigest } from './digest.js';
import { createLinkSignerCheck } from './link-signer.js';
import {
  assertAudienceNamed,
  assertDepth,
  assertMaxCalls,
  assertParentReference,
  assertScopesNarrowed,
  assertWindowInside,
  delegationView,
  type ParentView,
  passportView,
} from './rules.js';
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

interface State {
  passport?: AgentPassport;
  links: AgentDelegation[];
  views: ParentView[];
}

export function createDelegationVerifier(config: DelegationVerifierConfig): DelegationVerifier {
  const maxChainLength = config.maxChainLength ?? DEFAULT_MAX_CHAIN_LENGTH;
  if (!Number.isInteger(maxChainLength) || maxChainLength < 1 || maxChainLength > 8)
    throw new RangeError('maxChainLength must be an integer from 1 to 8');
  const passports = createVerifier(config);
  const clock = config.clock ?? (() => new Date());
  const skewMs = (config.maxSkewSeconds ?? 60) * 1000;
  const documentLoader = createDocumentLoader();
  const checkSigner = createLinkSignerCheck({
    cryptosuites: config.cryptosuites,
    cacheSize: config.linkCacheSize ?? 1000,
  });

  /** Each link against the view of the credential before it. */
  const eachLink =
    (state: State, rule: (parent: ParentView, link: AgentDelegation, i: number) => unknown) => async () => {
      for (const [i, link] of state.links.entries()) await rule(state.views[i] as ParentView, link, i);
    };

  /** The root: the passport verifier's public API, then the views each link is checked against. */
  async function checkPassport(state: State, input: DelegationChainInput, options: ChainCallOptions) {
    const result = await passports.verifyCredential(input.passport, {
      requiredScopes: options.requiredScopes ?? [],
    });
    const first = result.errors[0];
    if (!result.verified || result.passport === undefined)
      throw new CheckFailure(first?.code ?? 'ERR_VERIFIER_INTERNAL', `passport: ${first?.message}`);
    state.passport = result.passport;
    state.views = [passportView(result.passport)];
    for (const link of state.links.slice(0, -1)) state.views.push(delegationView(link));
  }

  function steps(
    state: State,
    input: DelegationChainInput,
    options: ChainCallOptions,
    now: Date,
  ): CheckStep<(typeof CHAIN_CHECK_NAMES)[number]>[] {
    const leaf = () => state.links.at(-1) as AgentDelegation;
    const required = [...(config.requiredScopes ?? []), ...(options.requiredScopes ?? [])];
    return [
      [
        'chain',
        () => {
          state.links = parseChain(input, maxChainLength);
        },
      ],
      ['passport', () => checkPassport(state, input, options)],
      ['loops', () => assertNoLoops(state.passport as AgentPassport, state.links)],
      ['parents', eachLink(state, assertParentReference)],
      ['signers', eachLink(state, (parent, link, i) => checkSigner(parent, link, digestOf(state, i)))],
      ['scopes', eachLink(state, assertScopesNarrowed)],
      ['windows', eachLink(state, assertWindowInside)],
      [
        'depth',
        eachLink(state, (parent, link, i) => {
          assertDepth(parent, link);
          assertAncestorDepths(state.views, link, i);
        }),
      ],
      [
        'audience',
        eachLink(state, (_parent, link) => {
          assertAudienceNamed(link);
          assertInAudience(link, config.origin);
        }),
      ],
      ['max-calls', eachLink(state, assertMaxCalls)],
      ['validity', eachLink(state, (_parent, link) => assertValidNow(link, now.getTime(), skewMs))],
      ['status', eachLink(state, (_parent, link) => checkLinkStatus(link, now, config.checkStatus))],
      ['holder', () => assertPresenter(leaf(), options.presenter)],
      ['required-scopes', () => assertLeafGrants(leaf(), required)],
    ];
  }

  const digests = new WeakMap<AgentDelegation, string>();
  function digestOf(state: State, i: number): string {
    const link = state.links[i] as AgentDelegation;
    let digest = digests.get(link);
    if (digest === undefined) {
      digest = credentialDigest(link);
      digests.set(link, digest);
    }
    return digest;
  }

  async function verifyPresentation(input: unknown, options: ChainPresentationOptions) {
    let unpacked: { chain: DelegationChainInput; holder: string } | undefined;
    const presentation = await runChecks([
      [
        'presentation',
        async () => {
          unpacked = await unpackPresentation(input, options, documentLoader, config);
        },
      ],
    ]);
    if (unpacked === undefined) {
      const skipped = CHAIN_CHECK_NAMES.map((name) => ({ name, ok: false, skipped: true }));
      return { verified: false, checks: [...presentation.checks, ...skipped], errors: presentation.errors };
    }
    const { requiredScopes } = options;
    const result = await verifyChain(unpacked.chain, {
      presenter: unpacked.holder,
      ...(requiredScopes === undefined ? {} : { requiredScopes }),
    });
    return { ...result, checks: [...presentation.checks, ...result.checks] };
  }

  return { verifyChain, verifyPresentation };

  async function verifyChain(
    input: DelegationChainInput,
    options: ChainCallOptions,
  ): Promise<ChainVerification> {
    const state: State = { links: [], views: [] };
    if (options.now !== undefined && (!(options.now instanceof Date) || Number.isNaN(options.now.getTime())))
      throw new TypeError('now must be a valid Date');
    // One time per call: the caller's `now` (a request verifier hands its own), else the clock.
    const now = options.now ?? clock();
    const { checks, errors } = await runChecks(steps(state, input, options, now));
    if (errors.length > 0) return { verified: false, checks, errors };
    const passport = state.passport as AgentPassport;
    const chain: ChainLink[] = [
      link(passport.id, state.views[0] as ParentView, passport.issuer),
      ...state.links.map((l, i) =>
        link(l.id, { ...delegationView(l), digestMultibase: digestOf(state, i) }, l.issuer),
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
