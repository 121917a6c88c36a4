// SPDX-License-Identifier: Apache-2.0
// The command-line grammar: every verb with its options and help, each one's implementation
// loaded only when it runs (src/verbs/), so `--help` and each verb load only what they need.
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { declareAgent } from './commands/agent.js';
import { declareAudit } from './commands/audit.js';
import { declareBundle } from './commands/bundle.js';
import { declareCall } from './commands/call.js';
import { declareDelegate } from './commands/delegate.js';
import { declareDemo } from './commands/demo.js';
import { declareGate } from './commands/gate.js';
import { declareInspect } from './commands/inspect.js';
import { declareIssue } from './commands/issue.js';
import { declareLogin } from './commands/login.js';
import { declareOrg } from './commands/org.js';
import { declarePresent } from './commands/present.js';
import { declarePublish } from './commands/publish.js';
import { declareServe } from './commands/serve.js';
import { declareStatusChanges } from './commands/status.js';
import { declareVerify } from './commands/verify.js';

const HELP_AFTER = `
Passphrases come from $AGENT_PASSPORT_PASSPHRASE or an interactive prompt, never from a flag.

Examples:
  $ agent-passport org init --did did:web:acme.example
  $ agent-passport agent create research-12
  $ agent-passport issue --agent research-12 --purpose literature-review --scope read:arxiv --valid-for 90d --out passport.json
  $ agent-passport delegate --from research-12 --to did:key:z6Mk… --parent passport.json --scope read:arxiv --valid-for 10m --audience https://api.example
  $ agent-passport present --agent research-12 --passport passport.json --challenge 4f1c --domain api.example --out vp.json
  $ agent-passport verify vp.json --challenge 4f1c --domain api.example --scope read:arxiv
  $ agent-passport publish --out site && agent-passport serve site --port 8443

Exit codes: 0 ok · 1 refused (a passport, presentation, trust bundle or log did not verify) · 2 usage
· 3 bad input · 4 key store · 5 resolution/network · 70 internal`;

/** This package's version, from its package.json (beside dist/ and src/). */
export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

export function buildProgram(): Command {
  const program = new Command('agent-passport')
    .description('Per-agent cryptographic passports on W3C standards: issue, present, verify offline.')
    .version(version(), '-V, --version', 'print the version')
    .option(
      '--home <dir>',
      'folder for keys and the organisation record (default $AGENT_PASSPORT_HOME or ~/.agent-passport)',
    )
    .option('--json', 'machine-readable output: one JSON document on stdout, errors included')
    .showHelpAfterError()
    .exitOverride()
    .addHelpText('after', HELP_AFTER);
  for (const declare of [
    declareOrg,
    declareAgent,
    declareIssue,
    declareDelegate,
    declarePresent,
    declareVerify,
    declareCall,
    declareGate,
    declareLogin,
    declareInspect,
    declarePublish,
    declareServe,
    declareStatusChanges,
    declareBundle,
    declareAudit,
    declareDemo,
  ])
    declare(program);
  return program;
}
