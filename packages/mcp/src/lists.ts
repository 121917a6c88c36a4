// SPDX-License-Identifier: Apache-2.0
// tools/list, prompts/list, resources/list and resources/templates/list as each agent may see
// them: an entry is listed only when the gate map names it and the agent's passport grants what
// it needs. The filtered result is marked `cacheScope: "private"` (2026-07-28 CacheableResult):
// another agent must not be served it from a cache.
import { PassportError } from '@agent-passport/core';

export type ListKind = 'tools' | 'prompts' | 'resources';

/** Per list method: the result member, the key each entry is mapped by, and the map it is in. */
const LISTS: Readonly<Record<string, readonly [string, string, ListKind]>> = Object.freeze({
  'tools/list': ['tools', 'name', 'tools'],
  'prompts/list': ['prompts', 'name', 'prompts'],
  'resources/list': ['resources', 'uri', 'resources'],
  'resources/templates/list': ['resourceTemplates', 'uriTemplate', 'resources'],
});

export const isListMethod = (method: string): boolean => Object.hasOwn(LISTS, method);

function filterMessage(
  message: unknown,
  method: string,
  allowed: (kind: ListKind, key: string) => boolean,
): unknown {
  const [member, key, kind] = LISTS[method] as readonly [string, string, ListKind];
  const result = (message as { result?: Record<string, unknown> } | null)?.result;
  if (result === undefined || result === null || typeof result !== 'object') return message;
  const entries = result[member];
  if (!Array.isArray(entries)) return message;
  const kept = entries.filter((e) => {
    const k = (e as Record<string, unknown> | null)?.[key];
    return typeof k === 'string' && allowed(kind, k);
  });
  return { ...(message as object), result: { ...result, [member]: kept, cacheScope: 'private' } };
}

/** The SDK's answer to a list method, filtered (JSON body, or each message of an SSE stream). */
export async function filterListResponse(
  response: Response,
  method: string,
  allowed: (kind: ListKind, key: string) => boolean,
): Promise<Response> {
  const type = response.headers.get('content-type') ?? '';
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  if (type.startsWith('application/json')) {
    const message = filterMessage(await response.json(), method, allowed);
    return new Response(JSON.stringify(message), { status: response.status, headers });
  }
  if (type.startsWith('text/event-stream')) {
    const events = (await response.text()).split(/\n\n/);
    const out = events.map((event) =>
      event
        .split('\n')
        .map((line) =>
          line.startsWith('data:')
            ? `data: ${JSON.stringify(filterMessage(JSON.parse(line.slice(5)), method, allowed))}`
            : line,
        )
        .join('\n'),
    );
    return new Response(out.join('\n\n'), { status: response.status, headers });
  }
  if (response.body === null) return response;
  // Fail closed: a list the gate cannot read is not passed on unfiltered.
  throw new PassportError('ERR_VERIFIER_INTERNAL', `cannot filter a ${type} list response`);
}
