// SPDX-License-Identifier: Apache-2.0
// The `agent-passport` command line. Shells stay thin (STYLE.md §12): parse input, call the
// library, map codes to exit codes.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AGENT_PASSPORT_V1_CONTEXT, CONTEXTS } from '@agent-passport/contexts';
import { type AgentPassport, type DidDocument, isPassportError, PassportError } from '@agent-passport/core';
import { createDidWebResolver, didWebToUrl } from '@agent-passport/did-web';
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { createStatusChecker } from '@agent-passport/status';
import { createSigner } from '@agent-passport/suites';
import {
  issuerFileUrl,
  SCHEMA_FILE,
  STATUS_INDEX_FILE,
  verifyTrustBundle,
} from '@agent-passport/trust-bundle';
import { createVerifier, type TrustedIssuer } from '@agent-passport/verifier';
import { Command, CommanderError, Option } from 'commander';
import { registerAuditVerb } from './audit-verb.js';
import { bundleAuthors, registerBundleVerbs } from './bundle-verbs.js';
import { collect, emit, globals, parseDuration } from './common.js';
import { runDemo } from './demo.js';
import { runCallsDemo } from './demo-calls.js';
import { EXIT, type ExitCode, exitCodeFor } from './exit-codes.js';
import {
  AGENT_NAME,
  agentLabel,
  defaultStatusBase,
  type Home,
  ORG_KEY_LABEL,
  orgRecord,
  orgSigner,
  passphrase,
} from './home.js';
import { readJsonFile, toJson, writeFileAtomic } from './internal/files.js';
import { formatChecks, green, red } from './output.js';
import { serveFolder } from './serve.js';
import { OPERATOR_TOKEN_ENV, type ServeApiOptions, serveApi, VERIFY_TOKEN_ENV } from './serve-api.js';
import { refreshStatusLists, registerStatusVerbs } from './status-verbs.js';

/** The signed status lists kept in a folder (this home's, refreshed by issue/revoke/publish). */
function listsIn(dir: string): unknown[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readJsonFile(join(dir, f), 8 * 1024 * 1024));
}

/**
 * The verifier's trust: a signed bundle (--bundle, pinned --bundle-author), or --trust issuers with
 * --status lists, or by default this home's organisation with the status lists this home signed.
 */
async function trustConfig(opts: Record<string, unknown>, home: Home, now: Date) {
  const maxAgeSeconds = parseDuration(opts['statusMaxAge'] as string) / 1000;
  const trust = (opts['trust'] as string[] | undefined) ?? [];
  const statusFiles = (opts['status'] as string[] | undefined) ?? [];
  const bundleFile = opts['bundle'] as string | undefined;
  if (bundleFile !== undefined) {
    if (trust.length > 0 || statusFiles.length > 0)
      throw new CommanderError(
        EXIT.USAGE,
        'usage',
        '--bundle is the whole trust: not with --trust or --status',
      );
    const authors = bundleAuthors(opts['bundleAuthor'] as string[] | undefined, home);
    const bundle = await verifyTrustBundle(readJsonFile(bundleFile, 32 * 1024 * 1024), { authors, now });
    return bundle.verifierConfig({ statusMaxAgeSeconds: maxAgeSeconds });
  }
  const lists =
    statusFiles.length > 0
      ? statusFiles.map((f) => readJsonFile(f, 8 * 1024 * 1024))
      : trust.length === 0
        ? listsIn(home.statusDir)
        : [];
  return {
    trustedIssuers: trustFrom(trust, home),
    ...(lists.length === 0 ? {} : { checkStatus: createStatusChecker({ lists, maxAgeSeconds }) }),
  };
}

/** Trust: each --trust is a DID (did:key) or the path of a DID document; default: this home's org. */
function trustFrom(values: readonly string[], home: Home): (string | TrustedIssuer)[] {
  if (values.length === 0) {
    if (!home.hasOrg()) {
      throw new PassportError(
        'ERR_ISSUER_UNTRUSTED',
        'no --trust given and no organisation in this home to trust',
      );
    }
    const org = home.readOrg();
    return [{ id: org.did, didDocument: org.didDocument }];
  }
  return values.map((v) => {
    if (v.startsWith('did:')) return v;
    const doc = readJsonFile(v) as DidDocument;
    if (typeof doc?.id !== 'string')
      throw new PassportError('ERR_DID_DOCUMENT_INVALID', `${v} is not a DID document`);
    return { id: doc.id, didDocument: doc };
  });
}

export function buildProgram(): Command {
  const program = new Command('agent-passport')
    .description('Per-agent cryptographic passports on W3C standards: issue, present, verify offline.')
    .option(
      '--home <dir>',
      'folder for keys and the organisation record (default $AGENT_PASSPORT_HOME or ~/.agent-passport)',
    )
    .option('--json', 'machine-readable output on stdout')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText(
      'after',
      `
Passphrases come from $AGENT_PASSPORT_PASSPHRASE or an interactive prompt, never from a flag.

Examples:
  $ agent-passport org init --did did:web:acme.example
  $ agent-passport agent create research-12
  $ agent-passport issue --agent research-12 --purpose literature-review --scope read:arxiv --valid-for 90d --out passport.json
  $ agent-passport present --agent research-12 --passport passport.json --challenge 4f1c --domain api.example --out vp.json
  $ agent-passport verify vp.json --challenge 4f1c --domain api.example --scope read:arxiv
  $ agent-passport publish --out site && agent-passport serve site --port 8443

Exit codes: 0 ok · 1 refused by verification · 2 usage · 3 bad input · 4 key store · 5 resolution/network · 70 internal`,
    );

  const org = program.command('org').description('the organisation identity (the issuer)');
  org
    .command('init')
    .description('create the organisation key and its DID document')
    .addOption(new Option('--did <did>', 'a did:web for the organisation, e.g. did:web:acme.example'))
    .option('--did-key', 'use a did:key instead (development)')
    .addOption(new Option('--key-type <type>', 'key type').choices(['Ed25519', 'P-256']).default('Ed25519'))
    .option(
      '--status-base <url>',
      'where status lists are published (default for did:web: https://<host>/status; none for did:key)',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ agent-passport org init --did did:web:acme.example\n  $ agent-passport org init --did-key',
    )
    .action(
      async (
        opts: { did?: string; didKey?: boolean; keyType: 'Ed25519' | 'P-256'; statusBase?: string },
        cmd: Command,
      ) => {
        const { home, out } = globals(cmd);
        if ((opts.did === undefined) === (opts.didKey !== true)) {
          throw new CommanderError(EXIT.USAGE, 'usage', 'give exactly one of --did <did:web:…> or --did-key');
        }
        if (home.hasOrg())
          throw new PassportError('ERR_ORG_EXISTS', `${home.dir} already has an organisation`);
        const key = generateKey(opts.keyType);
        const did = opts.did ?? key.did;
        if (opts.did !== undefined) didWebToUrl(did);
        const statusBase =
          opts.statusBase ?? (did.startsWith('did:web:') ? defaultStatusBase(did) : undefined);
        if (statusBase !== undefined && !/^https:\/\/[^\s#?]+[^/\s#?]$/.test(statusBase))
          throw new CommanderError(
            EXIT.USAGE,
            'usage',
            '--status-base is an https URL without a trailing slash',
          );
        await home.keys.save(ORG_KEY_LABEL, key, await passphrase(true));
        const now = new Date().toISOString();
        const record = orgRecord({
          did,
          createdAt: now,
          statusBase,
          keys: [
            {
              fragment: did.startsWith('did:key:') ? key.publicKeyMultibase : 'key-1',
              label: ORG_KEY_LABEL,
              publicKeyMultibase: key.publicKeyMultibase,
              addedAt: now,
            },
          ],
        });
        home.writeOrg(record);
        const { verificationMethod, didDocument } = record;
        out.data({ did, verificationMethod, didDocument, home: home.dir });
        out.line(`${green('✓')} organisation ${did}`);
        out.line(`  signing key ${verificationMethod} (encrypted in ${home.dir}/keys)`);
        if (did.startsWith('did:web:'))
          out.line(`  publish its DID document at ${didWebToUrl(did).href} (agent-passport publish)`);
        if (statusBase !== undefined) out.line(`  status lists at ${statusBase}/…`);
      },
    );
  org
    .command('show')
    .description('print the organisation DID and DID document')
    .action((_opts: unknown, cmd: Command) => {
      const { home, out } = globals(cmd);
      const record = home.readOrg();
      out.data(record);
      out.line(`organisation ${record.did}`);
      out.line(`signing key  ${record.verificationMethod}`);
      for (const k of record.keys) {
        const history = [
          k.retiredAt === undefined ? '' : ` retired ${k.retiredAt}`,
          k.compromisedAt === undefined ? '' : ` compromised since ${k.compromisedAt}`,
        ].join('');
        out.line(`  key ${k.fragment} added ${k.addedAt}${history}`);
      }
      out.line(toJson(record.didDocument).trimEnd());
    });
  org
    .command('rotate')
    .description(
      'add a new signing key and retire the current one (its passports stay valid until they expire)',
    )
    .addOption(new Option('--key-type <type>', 'key type').choices(['Ed25519', 'P-256']).default('Ed25519'))
    .addHelpText('after', '\nExample:\n  $ agent-passport org rotate && agent-passport publish --out site')
    .action(async (opts: { keyType: 'Ed25519' | 'P-256' }, cmd: Command) => {
      const { home, out } = globals(cmd);
      const record = home.readOrg();
      if (!record.did.startsWith('did:web:'))
        throw new PassportError(
          'ERR_DID_METHOD_UNSUPPORTED',
          'a did:key organisation is its key: it cannot rotate',
        );
      const key = generateKey(opts.keyType);
      const n = record.keys.length + 1;
      const label = `org-key-${n}`;
      const pass = await passphrase();
      await home.keys.load(record.keyLabel, pass); // the organisation's passphrase, checked first
      await home.keys.save(label, key, pass);
      const now = new Date().toISOString();
      const next = orgRecord({
        did: record.did,
        createdAt: record.createdAt,
        statusBase: record.statusBase,
        keys: [
          { fragment: `key-${n}`, label, publicKeyMultibase: key.publicKeyMultibase, addedAt: now },
          ...record.keys.map((k) => (k.label === record.keyLabel ? { ...k, retiredAt: now } : k)),
        ],
      });
      home.writeOrg(next);
      await refreshStatusLists(home, next, createSigner(key, next.verificationMethod));
      out.data({
        did: next.did,
        verificationMethod: next.verificationMethod,
        retired: record.verificationMethod,
      });
      out.line(`${green('✓')} new signing key ${next.verificationMethod}`);
      out.line(
        `  retired ${record.verificationMethod} at ${now}: its passports stay valid until they expire`,
      );
      out.line('  publish the new DID document (agent-passport publish) and rebuild trust bundles');
    });
  org
    .command('compromise <key>')
    .description('declare a retired key compromised as of a time: proofs it made since then are refused')
    .requiredOption('--since <date>', 'when the key was compromised (RFC 3339 with offset)')
    .addHelpText('after', '\nExample:\n  $ agent-passport org compromise key-1 --since 2026-11-20T00:00:00Z')
    .action((fragment: string, opts: { since: string }, cmd: Command) => {
      const { home, out } = globals(cmd);
      const record = home.readOrg();
      const since = new Date(opts.since);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(opts.since) || Number.isNaN(since.getTime()))
        throw new PassportError('ERR_DATE_INVALID', `--since ${opts.since} is not a date-time`);
      const key = record.keys.find(
        (k) => k.fragment === fragment || `${record.did}#${k.fragment}` === fragment,
      );
      if (key === undefined)
        throw new PassportError('ERR_VERIFICATION_METHOD_NOT_FOUND', `${record.did} has no key ${fragment}`);
      if (key.label === record.keyLabel)
        throw new CommanderError(
          EXIT.USAGE,
          'usage',
          'this is the current signing key: run `org rotate` first',
        );
      const next = orgRecord({
        did: record.did,
        createdAt: record.createdAt,
        statusBase: record.statusBase,
        keys: record.keys.map((k) => (k === key ? { ...k, compromisedAt: since.toISOString() } : k)),
      });
      home.writeOrg(next);
      out.data({ key: `${record.did}#${key.fragment}`, compromisedAt: since.toISOString() });
      out.line(`${green('✓')} ${record.did}#${key.fragment} compromised since ${since.toISOString()}`);
      out.line('  proofs it made since then are refused; publish the DID document and rebuild trust bundles');
    });

  const agent = program.command('agent').description("agents' own keys (did:key)");
  agent
    .command('create <name>')
    .description('create an agent key; its did:key is the subject of its passports')
    .addOption(new Option('--key-type <type>', 'key type').choices(['Ed25519', 'P-256']).default('Ed25519'))
    .addHelpText('after', '\nExample:\n  $ agent-passport agent create research-12')
    .action(async (name: string, opts: { keyType: 'Ed25519' | 'P-256' }, cmd: Command) => {
      const { home, out } = globals(cmd);
      if (!AGENT_NAME.test(name))
        throw new CommanderError(EXIT.USAGE, 'usage', 'agent names are lowercase letters, digits and -');
      const key = generateKey(opts.keyType);
      await home.keys.save(agentLabel(name), key, await passphrase(true));
      out.data({ name, did: key.did });
      out.line(`${green('✓')} agent ${name}: ${key.did}`);
    });
  agent
    .command('list')
    .description('list agent keys (public data only)')
    .action((_opts: unknown, cmd: Command) => {
      const { home, out } = globals(cmd);
      const agents = home.keys
        .list()
        .filter((k) => k.label.startsWith('agent-'))
        .map((k) => ({ name: k.label.slice('agent-'.length), did: k.did, createdAt: k.createdAt }));
      out.data(agents);
      for (const a of agents) out.line(`${a.name}\t${a.did}`);
    });

  program
    .command('issue')
    .description("issue a passport to an agent, signed with the organisation's key")
    .option('--agent <name>', 'an agent of this home (its did:key is the subject)')
    .option('--subject <did>', "the agent's did:key, for agents whose keys live elsewhere")
    .option('--name <agentName>', 'the agent name in the passport (default: --agent)')
    .requiredOption('--purpose <purpose>', 'what the agent is for')
    .requiredOption('--scope <scope>', 'a granted scope, action:resource (repeat for more)', collect)
    .option('--valid-for <duration>', 'validity from now: 90d, 12h, 30m', '90d')
    .option('--valid-until <date>', 'end of validity (RFC 3339 with offset); overrides --valid-for')
    .option('--max-calls <n>', 'usage limit', (v: string) => Number(v))
    .option('--audience <origin>', 'an origin the agent may call (repeat for more)', collect)
    .option('--out <file>', 'write the passport here instead of stdout')
    .addHelpText(
      'after',
      '\nExample:\n  $ agent-passport issue --agent research-12 --purpose literature-review \\\n      --scope read:arxiv --scope write:notes/* --valid-for 30d --max-calls 1000 --out passport.json',
    )
    .action(async (opts: Record<string, unknown>, cmd: Command) => {
      const { home, out } = globals(cmd);
      const agentName = opts['agent'] as string | undefined;
      let subject = opts['subject'] as string | undefined;
      if ((agentName === undefined) === (subject === undefined)) {
        throw new CommanderError(
          EXIT.USAGE,
          'usage',
          'give exactly one of --agent <name> or --subject <did:key>',
        );
      }
      if (agentName !== undefined) {
        const entry = home.keys.list().find((k) => k.label === agentLabel(agentName));
        if (entry === undefined)
          throw new PassportError('ERR_KEYSTORE_NOT_FOUND', `no agent ${agentName} in ${home.dir}`);
        subject = entry.did;
      }
      const { org: record, signer } = await orgSigner(home);
      const now = new Date();
      const validUntil =
        (opts['validUntil'] as string | undefined) ??
        new Date(now.getTime() + parseDuration(opts['validFor'] as string));
      const id = `urn:uuid:${randomUUID()}`;
      // An index is reserved durably before signing: a crash wastes it, never hands it out twice.
      const state = home.issuerState(record);
      const status =
        state === undefined
          ? undefined
          : await state.allocate({
              id,
              subject: subject as string,
              agentName: (opts['name'] as string | undefined) ?? agentName ?? 'agent',
              issuedAt: now.toISOString(),
              validUntil: typeof validUntil === 'string' ? validUntil : validUntil.toISOString(),
            });
      const passport = await issuePassport({
        id,
        ...(status === undefined ? {} : { credentialStatus: status.entries }),
        issuer: { id: record.did, signer, didDocument: record.didDocument },
        subject: subject as string,
        agentName: (opts['name'] as string | undefined) ?? agentName ?? 'agent',
        purpose: opts['purpose'] as string,
        scopes: opts['scope'] as string[],
        validUntil,
        now,
        ...(opts['maxCalls'] === undefined ? {} : { maxCalls: opts['maxCalls'] as number }),
        ...(opts['audience'] === undefined ? {} : { audience: opts['audience'] as string[] }),
      });
      if (status !== undefined) await refreshStatusLists(home, record, signer, now);
      out.data(passport);
      emit(out, opts['out'] as string | undefined, passport);
    });

  program
    .command('present')
    .description(
      "sign a presentation of a passport with the agent's key, for a verifier's challenge and domain",
    )
    .requiredOption('--agent <name>', 'the agent of this home holding the passport')
    .requiredOption('--passport <file>', 'the passport JSON')
    .requiredOption('--challenge <challenge>', "the verifier's challenge")
    .option('--domain <domain>', "the verifier's domain")
    .option('--out <file>', 'write the presentation here instead of stdout')
    .addHelpText(
      'after',
      '\nExample:\n  $ agent-passport present --agent research-12 --passport passport.json --challenge 4f1c --domain api.example',
    )
    .action(
      async (
        opts: { agent: string; passport: string; challenge: string; domain?: string; out?: string },
        cmd: Command,
      ) => {
        const { home, out } = globals(cmd);
        const passport = readJsonFile(opts.passport) as AgentPassport;
        const key = await home.keys.load(agentLabel(opts.agent), await passphrase());
        const vp = await createPresentation({
          passport,
          signer: createSigner(key, `${key.did}#${key.publicKeyMultibase}`),
          challenge: opts.challenge,
          ...(opts.domain === undefined ? {} : { domain: opts.domain }),
        });
        out.data(vp);
        emit(out, opts.out, vp);
      },
    );

  program
    .command('verify <file>')
    .description('verify a passport or a presentation offline and print every check')
    .option(
      '--trust <did-or-file>',
      'a trusted issuer: a did:key or a DID document file (default: this home org)',
      collect,
    )
    .option('--challenge <challenge>', 'the challenge you issued (required for presentations)')
    .option('--domain <domain>', 'your domain (checked when given)')
    .option('--scope <scope>', 'a scope the call requires (repeat for more)', collect)
    .option('--purpose <purpose>', 'an accepted purpose (repeat for more)', collect)
    .option('--origin <origin>', 'your origin, checked against a passport audience')
    .option('--at <date>', 'verify as of this time (RFC 3339) instead of now')
    .option('--resolve', 'allow fetching did:web issuers over HTTPS (hardened); offline otherwise')
    .option(
      '--status <file>',
      'a signed status list credential to check status against (repeat for more)',
      collect,
    )
    .option(
      '--bundle <file>',
      'trust exactly what this signed trust bundle holds (issuers, key history, status lists)',
    )
    .option(
      '--bundle-author <did:key>',
      "the pinned author of the bundle (repeat; default $AGENT_PASSPORT_BUNDLE_AUTHOR, else this home's bundle author)",
      collect,
    )
    .option('--status-max-age <duration>', 'refuse status lists older than this (default 1d)', '1d')
    .addHelpText(
      'after',
      '\nExamples:\n  $ agent-passport verify passport.json --scope read:arxiv\n  $ agent-passport verify vp.json --challenge 4f1c --domain api.example --trust org-did.json\n  $ agent-passport verify passport.json --bundle bundle.json --bundle-author did:key:z6Mk…',
    )
    .action(async (file: string, opts: Record<string, unknown>, cmd: Command) => {
      const { home, out } = globals(cmd);
      const input = readJsonFile(file);
      const at = opts['at'] as string | undefined;
      const now = at === undefined ? new Date() : new Date(at);
      if (Number.isNaN(now.getTime()))
        throw new PassportError('ERR_DATE_INVALID', `--at ${at} is not a date`);
      const webResolver = opts['resolve'] === true ? createDidWebResolver() : undefined;
      const verifier = createVerifier({
        ...(await trustConfig(opts, home, now)),
        clock: () => now,
        ...(webResolver === undefined ? {} : { resolveDid: (did: string) => webResolver.resolve(did) }),
        ...(opts['purpose'] === undefined ? {} : { acceptedPurposes: opts['purpose'] as string[] }),
        ...(opts['origin'] === undefined ? {} : { origin: opts['origin'] as string }),
      });
      const types = (input as { type?: unknown })?.type;
      const isPresentation = Array.isArray(types) && types.includes('VerifiablePresentation');
      const scopes = { requiredScopes: (opts['scope'] as string[] | undefined) ?? [] };
      let result: Awaited<ReturnType<typeof verifier.verifyCredential>>;
      if (isPresentation) {
        const challenge = opts['challenge'] as string | undefined;
        if (challenge === undefined)
          throw new CommanderError(EXIT.USAGE, 'usage', 'a presentation needs --challenge');
        const domain = opts['domain'] as string | undefined;
        result = await verifier.verifyPresentation(input, {
          challenge,
          ...(domain === undefined ? {} : { domain }),
          ...scopes,
        });
      } else {
        result = await verifier.verifyCredential(input, scopes);
      }
      out.data({ kind: isPresentation ? 'presentation' : 'credential', ...result });
      if (result.verified && result.passport !== undefined) {
        const s = result.passport.credentialSubject;
        out.line(
          `${green('✓ verified')} ${isPresentation ? 'presentation' : 'passport'} ${result.passport.id}`,
        );
        out.line(`  agent ${s.agentName} (${s.id})`);
        out.line(`  issuer ${result.passport.issuer} · purpose ${s.purpose} · scopes ${s.scopes.join(' ')}`);
      } else {
        out.line(`${red('✗ refused')} ${result.errors.map((e) => e.code).join(', ')}`);
      }
      for (const l of formatChecks(result.checks)) out.line(l);
      process.exitCode = result.verified ? EXIT.OK : EXIT.REFUSED;
    });

  program
    .command('inspect <file>')
    .description('decode a passport or presentation without verifying it')
    .action((file: string, _opts: unknown, cmd: Command) => {
      const { out } = globals(cmd);
      const input = readJsonFile(file) as Record<string, unknown>;
      const types = Array.isArray(input['type']) ? (input['type'] as unknown[]) : [];
      const isVp = types.includes('VerifiablePresentation');
      const vcs = input['verifiableCredential'];
      const passport = (isVp ? (Array.isArray(vcs) ? vcs[0] : vcs) : input) as
        | Record<string, unknown>
        | undefined;
      const subject = (passport?.['credentialSubject'] ?? {}) as Record<string, unknown>;
      const proof = (passport?.['proof'] ?? {}) as Record<string, unknown>;
      const summary = {
        kind: isVp ? 'presentation' : 'credential',
        id: passport?.['id'],
        type: passport?.['type'],
        issuer: passport?.['issuer'],
        validFrom: passport?.['validFrom'],
        validUntil: passport?.['validUntil'],
        agent: subject['id'],
        agentName: subject['agentName'],
        purpose: subject['purpose'],
        scopes: subject['scopes'],
        maxCalls: subject['maxCalls'],
        audience: subject['audience'],
        status: passport?.['credentialStatus'],
        proof: {
          cryptosuite: proof['cryptosuite'],
          verificationMethod: proof['verificationMethod'],
          created: proof['created'],
        },
        ...(isVp ? { presentationProof: input['proof'] } : {}),
      };
      out.data(summary);
      out.line('not verified: use `agent-passport verify` to check it');
      for (const [k, v] of Object.entries(summary))
        if (v !== undefined) out.line(`${k.padEnd(12)} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    });

  program
    .command('publish')
    .description(
      'write the folder an issuer serves: DID document (with key history), passport schema, context, signed status lists',
    )
    .requiredOption('--out <dir>', 'the folder to write')
    .option('--lists-valid-for <duration>', 'how long the signed status lists may be relied on', '1d')
    .addHelpText(
      'after',
      '\nStatus lists are signed afresh on every publish: run it again before --lists-valid-for runs out.\n\nExample:\n  $ agent-passport publish --out site',
    )
    .action(async (opts: { out: string; listsValidFor: string }, cmd: Command) => {
      const { home, out } = globals(cmd);
      const record = home.readOrg();
      const dir = resolve(opts.out);
      const files: string[] = [];
      const put = (rel: string, value: unknown) => {
        writeFileAtomic(`${dir}/${rel}`, toJson(value));
        files.push(rel);
      };
      // Issuer files sit beside the DID document (did:web) or in .well-known/ (did:key).
      const issuerDir = record.did.startsWith('did:web:')
        ? decodeURIComponent(issuerFileUrl(record.did, '.').pathname.slice(1))
        : '.well-known/';
      if (record.did.startsWith('did:web:'))
        put(decodeURIComponent(didWebToUrl(record.did).pathname.slice(1)), record.didDocument);
      put(`${issuerDir}${SCHEMA_FILE}`, AGENT_PASSPORT_SCHEMA);
      put('contexts/agent-passport/v1.jsonld', CONTEXTS.get(AGENT_PASSPORT_V1_CONTEXT));
      if (record.statusBase !== undefined) {
        const { signer } = await orgSigner(home);
        const lists = await refreshStatusLists(
          home,
          record,
          signer,
          new Date(),
          parseDuration(opts.listsValidFor),
        );
        for (const l of lists) put(decodeURIComponent(new URL(l.url).pathname.slice(1)), l.credential);
        put(`${issuerDir}${STATUS_INDEX_FILE}`, { issuer: record.did, statusLists: lists.map((l) => l.url) });
      }
      out.data({ dir, files });
      out.line(`${green('✓')} published ${files.length} files to ${dir}`);
      for (const f of files) out.line(`  ${f}`);
    });

  program
    .command('serve [dir]')
    .description(
      'run the issuer and verifier service (W3C VC API) for this organisation; with a folder: serve that published folder',
    )
    .option('--port <port>', 'port (0 picks a free one)', (v: string) => Number(v), 8443)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--self-signed', 'serve HTTPS with a freshly generated self-signed certificate')
    .option('--tls-cert <file>', 'PEM certificate for HTTPS')
    .option('--tls-key <file>', 'PEM private key for HTTPS')
    .option('--public-url <origin>', 'the origin clients reach the service at (default: where it listens)')
    .option('--cryptosuite <name>', 'issue with this cryptosuite (repeat; the first is the default)', collect)
    .option('--context <url=file>', 'a JSON-LD context known offline, for eddsa-rdfc-2022 (repeat)', collect)
    .option('--max-body <bytes>', 'largest request body', (v: string) => Number(v))
    .option('--bundle <file>', 'verification trusts exactly this signed trust bundle (and this organisation)')
    .option('--bundle-author <did:key>', 'the pinned author of the bundle (repeat)', collect)
    .addHelpText(
      'after',
      `\nThe operator token (issue, status) comes from $${OPERATOR_TOKEN_ENV}, else one is generated and
printed; $${VERIFY_TOKEN_ENV}, when set, protects the verification endpoints.

Examples:
  $ agent-passport serve --self-signed --port 8443
  $ agent-passport serve site --port 8443 --self-signed`,
    )
    .action(async (dir: string | undefined, opts: ServeApiOptions, cmd: Command) => {
      const { home, out } = globals(cmd);
      if (dir === undefined) return serveApi(home, out, opts);
      const server = await serveFolder(resolve(dir), opts);
      out.data({ url: server.url });
      out.line(`serving ${resolve(dir)} at ${server.url} (Ctrl-C to stop)`);
      await new Promise<void>((done) => {
        const stop = () => void server.close().then(done);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });

  registerStatusVerbs(program);
  registerBundleVerbs(program);
  registerAuditVerb(program);

  program
    .command('demo')
    .description('run the whole story on embedded defaults: org, publish, two agents, verify (npm start)')
    .option('--calls', 'instead: a service over loopback HTTP logging evidence, three agents calling it')
    .option('--out <dir>', 'with --calls: where the evidence log, trust bundle and bundle author go', 'demo')
    .addHelpText('after', '\nExamples:\n  $ agent-passport demo\n  $ agent-passport demo --calls --out demo')
    .action(async (opts: { calls?: boolean; out: string }, cmd: Command) => {
      const { out } = globals(cmd);
      if (opts.calls === true) await runCallsDemo(out, resolve(opts.out));
      else await runDemo(out);
    });

  return program;
}

/** Run the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return (process.exitCode as ExitCode | undefined) ?? EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      ) {
        return EXIT.OK;
      }
      if (error.code === 'usage') process.stderr.write(`error: ${error.message}\n`);
      return EXIT.USAGE;
    }
    if (isPassportError(error)) {
      if (json) process.stdout.write(toJson({ error: { code: error.code, message: error.message } }));
      process.stderr.write(`error ${error.code}: ${error.message}\n`);
      return exitCodeFor(error.code);
    }
    process.stderr.write(`internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.INTERNAL;
  }
}
