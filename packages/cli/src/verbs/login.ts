// SPDX-License-Identifier: Apache-2.0
// `login`: the agent side of headless login (@agent-passport/login/agent), with this home's agent
// key; the site must prove itself against the document given (or in a trust bundle) first.
import type { AgentPassport, DidDocument } from '@agent-passport/core';
import type { AgentDelegation } from '@agent-passport/delegation';
import { login } from '@agent-passport/login/agent';
import { bundleAuthors, readTrustBundle } from '../bundle-authors.js';
import type { VerbContext } from '../context.js';
import { agentLabel, openHome, passphrase } from '../home.js';
import { readJsonFile, readJsonInput } from '../internal/files.js';
import { usage } from '../usage.js';

interface Options {
  agent: string;
  passport: string;
  delegation?: string[];
  siteDocument?: string;
  bundle?: string;
  bundleAuthor?: string[];
  site?: string;
  get?: string;
}

export async function run({ out, homeDir }: VerbContext, url: string, opts: Options): Promise<void> {
  if ((opts.siteDocument === undefined) === (opts.bundle === undefined))
    throw usage('give --site-document or --bundle: the site must prove itself against one of them');
  if (!/^https?:\/\//.test(url)) throw usage('the URL is the http(s) URL of the login workflow');
  const home = openHome(homeDir);
  const trust =
    opts.siteDocument !== undefined
      ? { siteDocument: readJsonFile(opts.siteDocument) as DidDocument }
      : {
          bundle: await readTrustBundle(opts.bundle as string, await bundleAuthors(opts.bundleAuthor, home)),
        };
  const passport = (await readJsonInput(opts.passport)) as AgentPassport;
  // A sub-agent's chain: each file a delegation, or a list of them, root first.
  const delegations = (opts.delegation ?? []).flatMap((file) =>
    [readJsonFile(file)].flat(),
  ) as AgentDelegation[];
  const key = await (await home.keys()).load(agentLabel(opts.agent), await passphrase());
  const api = await login(url, {
    key,
    passport,
    ...(delegations.length === 0 ? {} : { delegations }),
    ...trust,
    ...(opts.site === undefined ? {} : { site: opts.site }),
  });
  out.line(`✓ ${api.site} proved itself`);
  out.line(`✓ logged in as ${api.session.agent}: session ${api.session.id} until ${api.session.expires}`);
  if (api.session.principals !== undefined)
    out.line(`  on the authority of ${api.session.principals.join(' → ')}`);
  let call: { status: number; body: unknown } | undefined;
  if (opts.get !== undefined) {
    const response = await api(new URL(opts.get, url));
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: printed as text
    }
    call = { status: response.status, body };
    out.line(`${response.status} ${text}`);
  }
  out.data({ site: api.site, session: api.session, ...(call === undefined ? {} : { call }) });
}
