// SPDX-License-Identifier: Apache-2.0
// `call <url>`: one signed request (RFC 9421) as an agent of this home, its passport bound into the
// signature; with --delegation, as a sub-agent whose chain travels beside the root passport. Prints
// the answer; exit 1 when the service refused (its code printed).
import { createAgentFetch } from '@agent-passport/http-signatures';
import { didKeySigner } from '@agent-passport/suites';
import type { VerbContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { agentLabel, openHome, passphrase } from '../home.js';
import { readBounded, readJsonFile, readStdin } from '../internal/files.js';
import { MAX_DOCUMENT_BYTES } from '../limits.js';
import { green, red } from '../output.js';
import { usage } from '../usage.js';

interface Options {
  agent: string;
  passport: string;
  delegation?: string[];
  method: string;
  data?: string;
  contentType: string;
}

/** The largest body `call` sends (the middleware's default limit). */
const MAX_BODY_BYTES = 1024 * 1024;

async function bodyOf(opts: Options): Promise<Uint8Array | undefined> {
  if (opts.data === undefined) return undefined;
  return new Uint8Array(
    opts.data === '-' ? await readStdin(MAX_BODY_BYTES) : readBounded(opts.data, MAX_BODY_BYTES),
  );
}

/** The refusal code of an answer: its JSON `code`, else the one in WWW-Authenticate. */
function codeOf(response: Response, body: unknown): string | undefined {
  const code = (body as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return /code="([A-Z0-9_]+)"/.exec(response.headers.get('www-authenticate') ?? '')?.[1];
}

export async function run({ out, homeDir }: VerbContext, url: string, opts: Options): Promise<void> {
  if (!/^https?:\/\//.test(url)) throw usage('the URL is an http(s) URL');
  const method = opts.method.toUpperCase();
  if (!/^[A-Z]{1,16}$/.test(method)) throw usage(`--method ${opts.method} is not an HTTP method`);
  const body = await bodyOf(opts);
  if (body !== undefined && (method === 'GET' || method === 'HEAD'))
    throw usage(`--data needs a method with a body (--method POST), not ${method}`);
  const passport = readJsonFile(opts.passport) as object;
  const delegations = (opts.delegation ?? []).map((f) => readJsonFile(f, MAX_DOCUMENT_BYTES) as object);
  const key = await (await openHome(homeDir).keys()).load(agentLabel(opts.agent), await passphrase());
  const signer = didKeySigner(key);
  const agentFetch = createAgentFetch({
    passport,
    keyId: signer.id,
    signer: (data) => signer.sign({ data }),
    ...(delegations.length === 0 ? {} : { delegations }),
    // A redirect is printed, not followed: the passport and chain are for the service called.
    fetch: (request) => fetch(request, { redirect: 'manual' }),
  });
  const response = await agentFetch(url, {
    method,
    ...(body === undefined ? {} : { body, headers: { 'content-type': opts.contentType } }),
  });
  const text = await response.text();
  let answer: unknown = text;
  try {
    answer = JSON.parse(text);
  } catch {
    // not JSON: printed as text
  }
  const code = response.status >= 400 ? codeOf(response, answer) : undefined;
  out.data({ status: response.status, body: answer, ...(code === undefined ? {} : { code }) });
  const status = String(response.status);
  out.line(
    `${response.status < 400 ? green(status) : red(`✗ ${status}`)}${code === undefined ? '' : ` ${code}`} ${text}`,
  );
  process.exitCode = response.status < 400 ? EXIT.OK : EXIT.REFUSED;
}
