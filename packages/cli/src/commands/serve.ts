// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';
import { collect, integerOption } from '../usage.js';

export const OPERATOR_TOKEN_ENV = 'AGENT_PASSPORT_OPERATOR_TOKEN';
export const VERIFY_TOKEN_ENV = 'AGENT_PASSPORT_VERIFY_TOKEN';

export function declareServe(program: Command): void {
  program
    .command('serve [dir]')
    .description(
      'run the issuer and verifier service (W3C VC API) for this organisation; with a folder: serve that published folder',
    )
    .option('--port <port>', 'port (0 picks a free one)', integerOption('--port', 0, 65535), 8443)
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--self-signed', 'serve HTTPS with a freshly generated self-signed certificate')
    .option('--tls-cert <file>', 'PEM certificate for HTTPS')
    .option('--tls-key <file>', 'PEM private key for HTTPS')
    .option('--public-url <origin>', 'the origin clients reach the service at (default: where it listens)')
    .option('--cryptosuite <name>', 'issue with this cryptosuite (repeat; the first is the default)', collect)
    .option('--context <url=file>', 'a JSON-LD context known offline, for eddsa-rdfc-2022 (repeat)', collect)
    .option('--max-body <bytes>', 'largest request body', integerOption('--max-body', 1, 64 * 1024 * 1024))
    .option('--bundle <file>', 'verification trusts exactly this signed trust bundle (and this organisation)')
    .option('--bundle-author <did:key>', 'the pinned author of the bundle (repeat)', collect)
    .option('--login', 'also run the headless login workflow (POST /workflows/agent-login/exchanges)')
    .option(
      '--workers <n>',
      'service processes sharing the port (default: one per core; one with --login)',
      integerOption('--workers', 1, 1024),
    )
    .addHelpText(
      'after',
      `\nThe operator token (issue, status) comes from $${OPERATOR_TOKEN_ENV} (at least 16 characters), else
one is generated and printed; $${VERIFY_TOKEN_ENV}, when set, protects the verification endpoints.

Examples:
  $ agent-passport serve --self-signed --port 8443
  $ agent-passport serve site --port 8443 --self-signed`,
    )
    .action(lazy(() => import('../verbs/serve.js')));
}
