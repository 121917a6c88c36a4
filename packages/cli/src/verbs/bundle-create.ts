// SPDX-License-Identifier: Apache-2.0
// `bundle create`: trusted issuers (publish folders, or did:web over HTTPS) in a bundle signed with
// this home's bundle author key.
import { resolve } from 'node:path';
import { createSigner } from '@agent-passport/suites';
import {
  type BundledIssuer,
  collectFromPublishFolder,
  collectFromWeb,
  createTrustBundle,
} from '@agent-passport/trust-bundle';
import type { VerbContext } from '../context.js';
import { BUNDLE_AUTHOR_LABEL, openHome, passphrase } from '../home.js';
import { emit, fileError, readTextFile } from '../internal/files.js';
import { green } from '../output.js';
import { parseDuration, usage } from '../usage.js';

interface Options {
  from?: string[];
  resolve?: string[];
  validFor: string;
  allowHost?: string[];
  ca?: string;
  out?: string;
}

function fromFolder(dir: string): BundledIssuer {
  try {
    return collectFromPublishFolder(resolve(dir));
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException)?.code !== undefined) throw fileError(dir, cause);
    throw cause;
  }
}

async function collect(opts: Options): Promise<BundledIssuer[]> {
  if ((opts.from ?? []).length + (opts.resolve ?? []).length === 0)
    throw usage('give at least one --from <dir> or --resolve <did:web>');
  const issuers = (opts.from ?? []).map(fromFolder);
  const ca = opts.ca === undefined ? {} : { ca: readTextFile(opts.ca) };
  const hosts = opts.allowHost === undefined ? {} : { allowInsecureHosts: opts.allowHost };
  for (const did of opts.resolve ?? []) issuers.push(await collectFromWeb(did, { ...hosts, ...ca }));
  return issuers;
}

export async function run({ out, homeDir }: VerbContext, opts: Options): Promise<void> {
  const validForMs = parseDuration(opts.validFor, '--valid-for');
  const issuers = await collect(opts);
  const key = await (await openHome(homeDir).keys()).load(BUNDLE_AUTHOR_LABEL, await passphrase());
  const signed = await createTrustBundle({
    author: { id: key.did, signer: createSigner(key, `${key.did}#${key.publicKeyMultibase}`) },
    issuers,
    validForMs,
  });
  emit(out, opts.out, signed);
  out.line(`${green('✓')} bundle by ${key.did}: ${issuers.map((i) => i.id).join(', ')}`);
  out.line(`  valid until ${String(signed['validUntil'])}`);
}
