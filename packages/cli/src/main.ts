// SPDX-License-Identifier: Apache-2.0
// The `agent-passport` command line. Shells stay thin (STYLE.md §12): parse input, call the
// library, map codes to exit codes.
import { resolve } from 'node:path';
import { AGENT_PASSPORT_V1_CONTEXT, CONTEXTS } from '@agent-passport/contexts';
import { type AgentPassport, type DidDocument, isPassportError, PassportError } from '@agent-passport/core';
import { resolveDidKey } from '@agent-passport/did-key';
import { buildDidDocument, createDidWebResolver, didWebToUrl } from '@agent-passport/did-web';
import { createPresentation, issuePassport } from '@agent-passport/issuer';
import { generateKey } from '@agent-passport/keystore';
import { AGENT_PASSPORT_SCHEMA } from '@agent-passport/schema';
import { createSigner } from '@agent-passport/suites';
import { createVerifier, type TrustedIssuer } from '@agent-passport/verifier';
import { Command, CommanderError, Option } from 'commander';
import { runDemo } from './demo.js';
import { EXIT, type ExitCode, exitCodeFor } from './exit-codes.js';
import {
  AGENT_NAME,
  agentLabel,
  ORG_KEY_LABEL,
  openHome,
  orgSigner,
  passphrase,
  resolveHome,
} from './home.js';
import { readJsonFile, toJson, writeFileAtomic } from './internal/files.js';
import { createOut, formatChecks, green, type Out, red } from './output.js';
import { serveFolder } from './serve.js';

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** "90d", "12h", "30m" → milliseconds. */
function parseDuration(value: string): number {
  const m = /^(\d{1,5})([dhm])$/.exec(value);
  if (m === null)
    throw new PassportError(
      'ERR_DATE_INVALID',
      `--valid-for takes a duration like 90d, 12h or 30m, not ${value}`,
    );
  const n = Number(m[1]);
  return n * (m[2] === 'd' ? 86_400_000 : m[2] === 'h' ? 3_600_000 : 60_000);
}

interface Globals {
  home?: string;
  json?: boolean;
}

function globals(cmd: Command): { home: ReturnType<typeof openHome>; out: Out } {
  const g = cmd.optsWithGlobals<Globals>();
  return { home: openHome(resolveHome(g.home)), out: createOut(g.json === true) };
}

function emit(out: Out, path: string | undefined, value: unknown): void {
  if (path !== undefined) {
    writeFileAtomic(resolve(path), toJson(value));
    out.line(`written to ${path}`);
  } else if (!out.json) {
    process.stdout.write(toJson(value));
  }
}

/** Trust: each --trust is a DID (did:key) or the path of a DID document; default: this home's org. */
function trustFrom(values: readonly string[], home: ReturnType<typeof openHome>): (string | TrustedIssuer)[] {
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
    .addHelpText(
      'after',
      '\nExamples:\n  $ agent-passport org init --did did:web:acme.example\n  $ agent-passport org init --did-key',
    )
    .action(async (opts: { did?: string; didKey?: boolean; keyType: 'Ed25519' | 'P-256' }, cmd: Command) => {
      const { home, out } = globals(cmd);
      if ((opts.did === undefined) === (opts.didKey !== true)) {
        throw new CommanderError(EXIT.USAGE, 'usage', 'give exactly one of --did <did:web:…> or --did-key');
      }
      if (home.hasOrg()) throw new PassportError('ERR_ORG_EXISTS', `${home.dir} already has an organisation`);
      const key = generateKey(opts.keyType);
      let did: string;
      let verificationMethod: string;
      let didDocument: DidDocument;
      if (opts.did !== undefined) {
        did = opts.did;
        didWebToUrl(did);
        didDocument = buildDidDocument({
          did,
          keys: [
            {
              id: 'key-1',
              publicKeyMultibase: key.publicKeyMultibase,
              purposes: ['assertionMethod', 'authentication'],
            },
          ],
        });
        verificationMethod = `${did}#key-1`;
      } else {
        did = key.did;
        didDocument = resolveDidKey(key.did);
        verificationMethod = `${key.did}#${key.publicKeyMultibase}`;
      }
      await home.keys.save(ORG_KEY_LABEL, key, await passphrase(true));
      const record = {
        version: 1 as const,
        did,
        keyLabel: ORG_KEY_LABEL,
        verificationMethod,
        didDocument,
        createdAt: new Date().toISOString(),
      };
      home.writeOrg(record);
      out.data({ did, verificationMethod, didDocument, home: home.dir });
      out.line(`${green('✓')} organisation ${did}`);
      out.line(`  signing key ${verificationMethod} (encrypted in ${home.dir}/keys)`);
      if (did.startsWith('did:web:'))
        out.line(`  publish its DID document at ${didWebToUrl(did).href} (agent-passport publish)`);
    });
  org
    .command('show')
    .description('print the organisation DID and DID document')
    .action((_opts: unknown, cmd: Command) => {
      const { home, out } = globals(cmd);
      const record = home.readOrg();
      out.data(record);
      out.line(`organisation ${record.did}`);
      out.line(`signing key  ${record.verificationMethod}`);
      out.line(toJson(record.didDocument).trimEnd());
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
      const passport = await issuePassport({
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
    .addHelpText(
      'after',
      '\nExamples:\n  $ agent-passport verify passport.json --scope read:arxiv\n  $ agent-passport verify vp.json --challenge 4f1c --domain api.example --trust org-did.json',
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
        trustedIssuers: trustFrom((opts['trust'] as string[] | undefined) ?? [], home),
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
    .description('write the folder an issuer serves: DID document, passport schema, context')
    .requiredOption('--out <dir>', 'the folder to write')
    .addHelpText('after', '\nExample:\n  $ agent-passport publish --out site')
    .action((opts: { out: string }, cmd: Command) => {
      const { home, out } = globals(cmd);
      const record = home.readOrg();
      const dir = resolve(opts.out);
      const files: string[] = [];
      const put = (rel: string, value: unknown) => {
        writeFileAtomic(`${dir}/${rel}`, toJson(value));
        files.push(rel);
      };
      if (record.did.startsWith('did:web:'))
        put(didWebToUrl(record.did).pathname.slice(1), record.didDocument);
      put('.well-known/agent-passport-schema.json', AGENT_PASSPORT_SCHEMA);
      put('contexts/agent-passport/v1.jsonld', CONTEXTS.get(AGENT_PASSPORT_V1_CONTEXT));
      out.data({ dir, files });
      out.line(`${green('✓')} published ${files.length} files to ${dir}`);
      for (const f of files) out.line(`  ${f}`);
    });

  program
    .command('serve <dir>')
    .description('serve a published folder over HTTP(S) for local use')
    .option('--port <port>', 'port (0 picks a free one)', (v: string) => Number(v), 8443)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--self-signed', 'serve HTTPS with a freshly generated self-signed certificate')
    .option('--tls-cert <file>', 'PEM certificate for HTTPS')
    .option('--tls-key <file>', 'PEM private key for HTTPS')
    .addHelpText('after', '\nExample:\n  $ agent-passport serve site --port 8443 --self-signed')
    .action(
      async (
        dir: string,
        opts: { port: number; host: string; selfSigned?: boolean; tlsCert?: string; tlsKey?: string },
        cmd: Command,
      ) => {
        const { out } = globals(cmd);
        const server = await serveFolder(resolve(dir), opts);
        out.data({ url: server.url });
        out.line(`serving ${resolve(dir)} at ${server.url} (Ctrl-C to stop)`);
        await new Promise<void>((done) => {
          const stop = () => void server.close().then(done);
          process.once('SIGINT', stop);
          process.once('SIGTERM', stop);
        });
      },
    );

  program
    .command('demo')
    .description('run the whole story on embedded defaults: org, publish, two agents, verify (npm start)')
    .action(async (_opts: unknown, cmd: Command) => {
      const { out } = globals(cmd);
      await runDemo(out);
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
