// SPDX-License-Identifier: Apache-2.0
// `verify`: a passport or a presentation, offline, against this home's (or the given) trust; every
// check printed. Exit 0 verified, 1 refused.
import { createVerifier, type PassportVerification, type PassportVerifier } from '@agent-passport/verifier';
import type { VerbContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { openHome } from '../home.js';
import { readJsonInput } from '../internal/files.js';
import { formatChecks, green, type Out, red } from '../output.js';
import { checkRequiredScopes } from '../scopes.js';
import { HOW_TO_TRUST, type TrustOptions, trustConfig } from '../trust.js';
import { parseDateTime, parseDuration, usage } from '../usage.js';

interface Options extends Omit<TrustOptions, 'statusMaxAgeSeconds'> {
  challenge?: string;
  domain?: string;
  scope?: string[];
  purpose?: string[];
  origin?: string;
  at?: string;
  resolve?: boolean;
  statusMaxAge: string;
}

async function resolverFor(opts: Options) {
  if (opts.resolve !== true) return {};
  const { createDidWebResolver } = await import('@agent-passport/did-web');
  const resolver = createDidWebResolver();
  return { resolveDid: (did: string) => resolver.resolve(did) };
}

const isPresentation = (input: unknown) => {
  const types = (input as { type?: unknown } | null)?.type;
  return Array.isArray(types) && types.includes('VerifiablePresentation');
};

function check(verifier: PassportVerifier, input: unknown, opts: Options): Promise<PassportVerification> {
  const requiredScopes = opts.scope ?? [];
  if (!isPresentation(input)) return verifier.verifyCredential(input, { requiredScopes });
  if (opts.challenge === undefined) throw usage('a presentation needs --challenge');
  return verifier.verifyPresentation(input, {
    challenge: opts.challenge,
    ...(opts.domain === undefined ? {} : { domain: opts.domain }),
    requiredScopes,
  });
}

function print(out: Out, kind: string, result: PassportVerification): void {
  if (result.verified && result.passport !== undefined) {
    const s = result.passport.credentialSubject;
    out.line(
      `${green('✓ verified')} ${kind === 'presentation' ? 'presentation' : 'passport'} ${result.passport.id}`,
    );
    out.line(`  agent ${s.agentName} (${s.id})`);
    out.line(`  issuer ${result.passport.issuer} · purpose ${s.purpose} · scopes ${s.scopes.join(' ')}`);
  } else {
    out.line(`${red('✗ refused')} ${result.errors.map((e) => e.code).join(', ')}`);
  }
  for (const l of formatChecks(result.checks)) out.line(l);
  if (result.errors.some((e) => e.code === 'ERR_ISSUER_UNTRUSTED')) out.line(`  ${HOW_TO_TRUST}`);
}

export async function run({ out, homeDir }: VerbContext, file: string, opts: Options): Promise<void> {
  checkRequiredScopes(opts.scope ?? []);
  const now = opts.at === undefined ? new Date() : parseDateTime(opts.at, '--at');
  const statusMaxAgeSeconds = parseDuration(opts.statusMaxAge, '--status-max-age') / 1000;
  const input = await readJsonInput(file);
  const verifier = createVerifier({
    ...(await trustConfig({ ...opts, statusMaxAgeSeconds }, openHome(homeDir), now)),
    clock: () => now,
    ...(await resolverFor(opts)),
    ...(opts.purpose === undefined ? {} : { acceptedPurposes: opts.purpose }),
    ...(opts.origin === undefined ? {} : { origin: opts.origin }),
  });
  const result = await check(verifier, input, opts);
  const kind = isPresentation(input) ? 'presentation' : 'credential';
  out.data({ kind, ...result });
  print(out, kind, result);
  process.exitCode = result.verified ? EXIT.OK : EXIT.REFUSED;
}
