// SPDX-License-Identifier: Apache-2.0
// RFC 9421 §2.4: a response signature covers components of the request it answers, marked with
// the `req` parameter. What a service signs here: its status (§2.2.9 `@status`), its Content-Digest,
// and the agent's own Signature-Input and Signature members (`;req;key=<label>`, §2.1.2 and §2.4):
// the agent's nonce, key and covered target are in the first, its signature in the second, so the
// response answers that one request and no other.
import { type InnerList, type Item, serializeInnerList, serializeItem } from 'structured-headers';
import { componentValue, type MessageParts } from './base.js';
import { parseDictionary } from './internal/sf.js';

/** The tag of a response signature (a request signature has 'agent-passport'). */
export const RESPONSE_TAG = 'agent-passport-response';

/** A covered component: its name, and for a request component the request's label (or none). */
export interface ResponseComponent {
  readonly name: string;
  /** Taken from the request (`;req`). */
  readonly req?: boolean;
  /** Dictionary member of a structured field (`;key`). */
  readonly key?: string;
}

/** The components a signed response covers by default, bound to the request labelled `label`. */
export function defaultResponseComponents(label: string): ResponseComponent[] {
  return [
    { name: '@status' },
    { name: 'content-digest' },
    { name: '@method', req: true },
    { name: '@target-uri', req: true },
    { name: 'signature-input', req: true, key: label },
    { name: 'signature', req: true, key: label },
  ];
}

/**
 * The component identifier as a structured-field item (§2: name plus parameters). Its type is
 * written out, not `structured-headers`' `Item`, so that no public declaration of this package
 * refers to that library's types (they need the DOM lib).
 */
export function componentItem(c: ResponseComponent): [string, Map<string, string | boolean>] {
  const params = new Map<string, string | boolean>();
  if (c.req === true) params.set('req', true);
  if (c.key !== undefined) params.set('key', c.key);
  return [c.name, params];
}

/** The value of a component, or undefined when the message lacks it. */
function componentOf(
  response: { status: number; headers: Headers },
  request: MessageParts,
  c: ResponseComponent,
): string | undefined {
  if (c.req !== true) {
    if (c.name === '@status') return String(response.status);
    if (c.key !== undefined || c.name.startsWith('@')) return undefined;
    return response.headers.get(c.name)?.trim() ?? undefined;
  }
  if (c.key === undefined) return c.name === '@status' ? undefined : componentValue(request, c.name);
  // §2.1.2: the named member of a dictionary field, re-serialized.
  const header = request.headers.get(c.name);
  if (header === null) return undefined;
  try {
    const member = parseDictionary(header).get(c.key);
    if (member === undefined) return undefined;
    return Array.isArray(member[0]) ? serializeInnerList(member as InnerList) : serializeItem(member as Item);
  } catch {
    return undefined;
  }
}

/** The signature base of a response (§2.5), or the first component missing. */
export function responseSignatureBase(
  response: { status: number; headers: Headers },
  request: MessageParts,
  components: readonly ResponseComponent[],
  paramsValue: string,
): { base: string } | { missing: ResponseComponent } {
  const lines: string[] = [];
  for (const c of components) {
    const value = componentOf(response, request, c);
    if (value === undefined) return { missing: c };
    lines.push(`${serializeItem(componentItem(c))}: ${value}`);
  }
  lines.push(`"@signature-params": ${paramsValue}`);
  return { base: lines.join('\n') };
}

/** The only label of a signed request (its Signature-Input), or undefined. */
export function requestLabel(headers: Headers): string | undefined {
  const header = headers.get('signature-input');
  if (header === null) return undefined;
  try {
    const dict = parseDictionary(header);
    return dict.size === 1 ? (dict.keys().next().value as string) : undefined;
  } catch {
    return undefined;
  }
}
