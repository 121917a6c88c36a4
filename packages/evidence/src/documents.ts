// SPDX-License-Identifier: Apache-2.0
// Auditing what an agent presented, without a log: a folder of JSON files or a JSON Lines file of
// credentials and presentations, each verified offline as of the time its proof was made.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ErrorCode } from '@agent-passport/core';
import { parseJson } from '@agent-passport/strict-json';
import { createEntryChecker } from './check-entry.js';

export interface DocumentResult {
  readonly source: string;
  readonly kind: string;
  readonly verified: boolean;
  readonly code?: ErrorCode;
  readonly message?: string;
  readonly agent?: string;
  readonly agentName?: string;
  readonly issuer?: string;
  readonly time?: string;
}

export interface DocumentsReport {
  readonly documents: number;
  readonly verified: number;
  readonly refused: number;
  readonly byAgent: Readonly<Record<string, { agentName?: string; verified: number; refused: number }>>;
  readonly results: readonly DocumentResult[];
}

/** Audit a folder of .json documents, or a .jsonl file of them. */
export async function auditDocuments(
  path: string,
  options: {
    readonly bundles: readonly string[];
    readonly authors: readonly string[];
    readonly statusMaxAgeSeconds?: number;
  },
): Promise<DocumentsReport> {
  const checker = await createEntryChecker({
    bundles: options.bundles,
    authors: options.authors,
    statusMaxAgeSeconds: options.statusMaxAgeSeconds ?? 2 * 86_400,
  });
  const inputs: { source: string; text: string }[] = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => ({ source: f, text: readFileSync(join(path, f), 'utf8') }))
    : readFileSync(path, 'utf8')
        .split('\n')
        .map((text, i) => ({ source: `${basename(path)}:${i + 1}`, text }))
        .filter((d) => d.text.trim().length > 0);
  const results: DocumentResult[] = [];
  const byAgent: Record<string, { agentName?: string; verified: number; refused: number }> = {};
  for (const { source, text } of inputs) {
    let doc: unknown;
    let r: Omit<DocumentResult, 'source'>;
    try {
      doc = parseJson(text, { maxBytes: 1024 * 1024 });
      r = await checker.checkDocument(doc);
    } catch (e) {
      r = {
        kind: 'unknown',
        verified: false,
        code: 'ERR_PARSE_JSON',
        message: e instanceof Error ? e.message : 'not JSON',
      };
    }
    results.push({ source, ...r });
    const agentKey = r.agent ?? '(unknown agent)';
    byAgent[agentKey] ??= {
      ...(r.agentName === undefined ? {} : { agentName: r.agentName }),
      verified: 0,
      refused: 0,
    };
    const a = byAgent[agentKey];
    if (r.verified) a.verified += 1;
    else a.refused += 1;
  }
  const verified = results.filter((r) => r.verified).length;
  return { documents: results.length, verified, refused: results.length - verified, byAgent, results };
}
