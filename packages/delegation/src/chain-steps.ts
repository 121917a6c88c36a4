// SPDX-License-Identifier: Apache-2.0
// The ordered checks of one chain verification (CHAIN_CHECK_NAMES), as named steps over one
// per-call state: the chain parsed, the passport verified, then every link against the view of the
// credential before it, then the leaf against the presenter and the required scopes.
import type { AgentPassport, CheckStep, DocumentLoader } from '@agent-passport/core';
import { CheckFailure } from '@agent-passport/core';
import type { PassportVerifier } from '@agent-passport/verifier';
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
import type { createLinkSignerCheck } from './link-signer.js';
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
import type { AgentDelegation } from './types.js';
import type {
  CHAIN_CHECK_NAMES,
  ChainCallOptions,
  DelegationChainInput,
  DelegationVerifierConfig,
} from './verify-chain.js';

/** What a delegation verifier holds between calls. */
export interface ChainVerifierContext {
  /** The caller's configuration, read on each call. */
  readonly config: DelegationVerifierConfig;
  readonly maxChainLength: number;
  readonly passports: PassportVerifier;
  readonly clock: () => Date;
  readonly skewMs: number;
  readonly documentLoader: DocumentLoader;
  readonly checkSigner: ReturnType<typeof createLinkSignerCheck>;
  /** Each link's digest, computed once. */
  readonly digests: WeakMap<AgentDelegation, string>;
}

/** What the steps of one call learn. */
export interface ChainState {
  passport?: AgentPassport;
  links: AgentDelegation[];
  views: ParentView[];
}

/** Each link against the view of the credential before it. */
const eachLink =
  (state: ChainState, rule: (parent: ParentView, link: AgentDelegation, i: number) => unknown) =>
  async () => {
    for (const [i, link] of state.links.entries()) await rule(state.views[i] as ParentView, link, i);
  };

/** The root: the passport verifier's public API, then the views each link is checked against. */
async function checkPassport(
  context: ChainVerifierContext,
  state: ChainState,
  input: DelegationChainInput,
  options: ChainCallOptions,
): Promise<void> {
  const result = await context.passports.verifyCredential(input.passport, {
    requiredScopes: options.requiredScopes ?? [],
  });
  const first = result.errors[0];
  if (!result.verified || result.passport === undefined)
    throw new CheckFailure(first?.code ?? 'ERR_VERIFIER_INTERNAL', `passport: ${first?.message}`);
  state.passport = result.passport;
  state.views = [passportView(result.passport)];
  for (const link of state.links.slice(0, -1)) state.views.push(delegationView(link));
}

export function digestOf(context: ChainVerifierContext, state: ChainState, i: number): string {
  const link = state.links[i] as AgentDelegation;
  let digest = context.digests.get(link);
  if (digest === undefined) {
    digest = credentialDigest(link);
    context.digests.set(link, digest);
  }
  return digest;
}

export function chainSteps(
  context: ChainVerifierContext,
  state: ChainState,
  input: DelegationChainInput,
  options: ChainCallOptions,
  now: Date,
): CheckStep<(typeof CHAIN_CHECK_NAMES)[number]>[] {
  const { config, skewMs, checkSigner } = context;
  const leaf = () => state.links.at(-1) as AgentDelegation;
  const required = [...(config.requiredScopes ?? []), ...(options.requiredScopes ?? [])];
  return [
    [
      'chain',
      () => {
        state.links = parseChain(input, context.maxChainLength);
      },
    ],
    ['passport', () => checkPassport(context, state, input, options)],
    ['loops', () => assertNoLoops(state.passport as AgentPassport, state.links)],
    ['parents', eachLink(state, assertParentReference)],
    ['signers', eachLink(state, (parent, link, i) => checkSigner(parent, link, digestOf(context, state, i)))],
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
