// SPDX-License-Identifier: Apache-2.0
// One call verifies a delegation chain, from the organisation's passport down to the presenting
// agent, with ordered coded checks (the passport verifier's style: never throws on input). The
// passport goes through the passport verifier's public API; each link's proof through the suites.
import { createDocumentLoader } from '@agent-passport/contexts';
import { type AgentPassport, type Check, type ErrorCode, PassportError } from '@agent-passport/core';
import { resolveDidKey } from '@agent-passport/did-key';
import { scopesGrant } from '@agent-passport/schema';
import { CRYPTOSUITES, verifyProof } from '@agent-passport/suites';
import {
  type CallOptions,
  CheckFailure,
  type CheckStep,
  createVerifier,
  failIf,
  runChecks,
  type VerifierConfig,
} from '@agent-passport/verifier';
import { credentialDigest } from './digest.js';
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
import { parseDelegation } from './shape.js';
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
  const cacheSize = config.linkCacheSize ?? 1000;
  const verifiedLinks = new Map<string, true>();

  async function checkSigner(parent: ParentView, link: AgentDelegation, digest: string): Promise<void> {
    failIf(
      link.issuer !== parent.subject,
      'ERR_DELEGATION_SIGNER',
      `${link.id} is issued by ${link.issuer}, not ${parent.subject}`,
    );
    const key = `${parent.subject} ${digest}`;
    if (verifiedLinks.has(key)) return;
    const result = await verifyProof(link, {
      proofPurpose: 'assertionMethod',
      controller: resolveDidKey(parent.subject),
      documentLoader,
      allowedCryptosuites: (config.cryptosuites ?? CRYPTOSUITES).filter((s) => s !== 'eddsa-rdfc-2022'),
    });
    if (!result.verified) {
      const code = result.code === 'ERR_ISSUER_KEY' ? 'ERR_DELEGATION_SIGNER' : result.code;
      throw new CheckFailure(code, `${link.id}: ${result.message}`);
    }
    if (cacheSize === 0) return;
    if (verifiedLinks.size >= cacheSize) verifiedLinks.delete(verifiedLinks.keys().next().value as string);
    verifiedLinks.set(key, true);
  }

  /** Each link against the view of the credential before it. */
  const eachLink =
    (state: State, rule: (parent: ParentView, link: AgentDelegation, i: number) => unknown) => async () => {
      for (const [i, link] of state.links.entries()) await rule(state.views[i] as ParentView, link, i);
    };

  function steps(state: State, input: DelegationChainInput, options: ChainCallOptions, now: Date) {
    const list: CheckStep<(typeof CHAIN_CHECK_NAMES)[number]>[] = [
      [
        'chain',
        () => {
          failIf(
            input === null || typeof input !== 'object' || !Array.isArray(input.delegations),
            'ERR_DELEGATION_INVALID',
            'a chain is { passport, delegations: [...] }',
          );
          failIf(input.delegations.length === 0, 'ERR_DELEGATION_INVALID', 'the chain holds no delegation');
          failIf(
            input.delegations.length > maxChainLength,
            'ERR_DELEGATION_DEPTH',
            `the chain has ${input.delegations.length} links; this verifier accepts ${maxChainLength}`,
          );
          state.links = input.delegations.map((d) => parseDelegation(d));
        },
      ],
      [
        'passport',
        async () => {
          const result = await passports.verifyCredential(input.passport, {
            requiredScopes: options.requiredScopes ?? [],
          });
          const first = result.errors[0];
          if (!result.verified || result.passport === undefined)
            throw new CheckFailure(first?.code ?? 'ERR_VERIFIER_INTERNAL', `passport: ${first?.message}`);
          state.passport = result.passport;
          state.views = [passportView(result.passport)];
          for (const link of state.links.slice(0, -1)) state.views.push(delegationView(link));
        },
      ],
      [
        'loops',
        () => {
          const passport = state.passport as AgentPassport;
          const dids = [passport.credentialSubject.id, ...state.links.map((l) => l.credentialSubject.id)];
          const ids = [passport.id, ...state.links.map((l) => l.id)];
          failIf(
            new Set(dids).size !== dids.length,
            'ERR_DELEGATION_LOOP',
            'an agent appears twice in the chain',
          );
          failIf(
            new Set(ids).size !== ids.length,
            'ERR_DELEGATION_LOOP',
            'a credential appears twice in the chain',
          );
        },
      ],
      ['parents', eachLink(state, (parent, link) => assertParentReference(parent, link))],
      ['signers', eachLink(state, (parent, link, i) => checkSigner(parent, link, digestOf(state, i)))],
      ['scopes', eachLink(state, assertScopesNarrowed)],
      ['windows', eachLink(state, assertWindowInside)],
      [
        'depth',
        eachLink(state, (parent, link, i) => {
          assertDepth(parent, link);
          // Every ancestor, not only the parent: link i+1 sits (i+1-j) levels below ancestor j.
          for (const [j, ancestor] of state.views.slice(0, i + 1).entries())
            failIf(
              i + 1 - j > ancestor.remainingDepth,
              'ERR_DELEGATION_DEPTH',
              `${link.id} is ${i + 1 - j} levels below ${ancestor.id}, which allows ${ancestor.remainingDepth}`,
            );
        }),
      ],
      [
        'audience',
        eachLink(state, (_parent, link) => {
          assertAudienceNamed(link);
          const audience = link.credentialSubject.audience;
          failIf(
            audience !== undefined && (config.origin === undefined || !audience.includes(config.origin)),
            'ERR_DELEGATION_AUDIENCE',
            `${link.id} is for ${audience?.join(', ')}, not ${config.origin ?? 'this (unnamed) service'}`,
          );
        }),
      ],
      ['max-calls', eachLink(state, assertMaxCalls)],
      ['validity', eachLink(state, (_parent, link) => assertValidNow(link, now.getTime(), skewMs))],
      [
        'status',
        eachLink(state, async (_parent, link) => {
          if (link.credentialStatus === undefined) return;
          failIf(
            config.checkStatus === undefined,
            'ERR_STATUS_UNAVAILABLE',
            `${link.id} has a status entry and no status checker is configured`,
          );
          await config.checkStatus?.(link as unknown as AgentPassport, now, {
            issuerDocument: resolveDidKey(link.issuer),
          });
        }),
      ],
      [
        'holder',
        () => {
          const leaf = state.links.at(-1) as AgentDelegation;
          failIf(
            options.presenter !== leaf.credentialSubject.id,
            'ERR_HOLDER_MISMATCH',
            `the chain is for ${leaf.credentialSubject.id}; it was presented by ${String(options.presenter)}`,
          );
        },
      ],
      [
        'required-scopes',
        () => {
          const leaf = state.links.at(-1) as AgentDelegation;
          const required = [...(config.requiredScopes ?? []), ...(options.requiredScopes ?? [])];
          const { ok, missing } = scopesGrant(leaf.credentialSubject.scopes, required);
          failIf(!ok, 'ERR_SCOPE_DENIED', `the delegation does not grant ${missing.join(', ')}`);
        },
      ],
    ];
    return list;
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
    const now = clock();
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

/** Every link must be valid now (with the configured skew): an expired ancestor kills the chain. */
function assertValidNow(link: AgentDelegation, nowMs: number, skewMs: number): void {
  const from = Date.parse(link.validFrom);
  const until = Date.parse(link.validUntil);
  if (from > nowMs + skewMs) throw new PassportError('ERR_NOT_YET_VALID', `${link.id} is not valid yet`);
  if (until <= nowMs - skewMs) throw new PassportError('ERR_EXPIRED', `${link.id} has expired`);
}
