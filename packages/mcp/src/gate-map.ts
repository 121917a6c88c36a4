// SPDX-License-Identifier: Apache-2.0
// The gate map: what each MCP operation needs. Tools and prompts by exact name, resources by URI
// or by the URI templates they match, other methods by name; the lists, `ping`, `server/discover`
// and notifications are open to any verified agent unless the map names them. Anything else is
// refused (no requirement).
import { scopesGrant } from '@agent-passport/schema';
import type { ListKind } from './lists.js';
import { decodeMcpName, MCP_METHOD_HEADER, MCP_NAME_HEADER, nameField } from './profile.js';
import { type Requirement, templateMatcher } from './templates.js';

/** What an operation needs: scopes, or scopes and the passport purposes accepted for it. */
export type McpRequirement =
  | readonly string[]
  | { readonly scopes: readonly string[]; readonly purposes?: readonly string[] };

export type RequirementMap = Readonly<Record<string, McpRequirement>>;

export interface GateMap {
  readonly maps: Readonly<Record<ListKind, RequirementMap>>;
  readonly byTemplate: (uri: string) => Requirement | undefined;
  /** The caller's options: `methods` is read on each lookup. */
  readonly options: { readonly methods?: RequirementMap };
}

const OPEN: Requirement = { scopes: [] };
const OPEN_METHODS = new Set([
  'tools/list',
  'prompts/list',
  'resources/list',
  'resources/templates/list',
  'ping',
  'server/discover',
]);

const normalize = (r: McpRequirement): Requirement => (Array.isArray(r) ? { scopes: r } : (r as Requirement));

export function checkMap(name: string, map: unknown): void {
  if (map === undefined) return;
  if (map === null || typeof map !== 'object') throw new TypeError(`${name} must be an object`);
  const strings = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');
  for (const [k, r] of Object.entries(map)) {
    const n = Array.isArray(r) ? { scopes: r } : (r as { scopes?: unknown; purposes?: unknown });
    if (!strings(n?.scopes) || (n.purposes !== undefined && !strings(n.purposes)))
      throw new TypeError(`${name}[${JSON.stringify(k)}] must be a list of scopes or { scopes, purposes }`);
  }
}

export function gateMap(options: {
  readonly tools: RequirementMap;
  readonly prompts?: RequirementMap;
  readonly resources?: RequirementMap;
  readonly methods?: RequirementMap;
}): GateMap {
  const maps: Readonly<Record<ListKind, RequirementMap>> = {
    tools: options.tools,
    prompts: options.prompts ?? {},
    resources: options.resources ?? {},
  };
  const byTemplate = templateMatcher(
    Object.fromEntries(Object.entries(maps.resources).map(([k, r]) => [k, normalize(r)])),
  );
  return { maps, byTemplate, options };
}

const own = (map: RequirementMap, key: string | undefined) =>
  key !== undefined && Object.hasOwn(map, key) ? normalize(map[key] as McpRequirement) : undefined;

/** A map entry: exact, or for a resource URI, the templates it matches. */
export const lookup = (map: GateMap, kind: ListKind, key: string | undefined): Requirement | undefined =>
  own(map.maps[kind], key) ?? (kind === 'resources' && key !== undefined ? map.byTemplate(key) : undefined);

export function requirementFor(
  map: GateMap,
  method: string,
  name: string | undefined,
): Requirement | undefined {
  if (method === 'tools/call') return own(map.maps.tools, name);
  if (method === 'prompts/get') return own(map.maps.prompts, name);
  if (method === 'resources/read') return lookup(map, 'resources', name);
  const configured = own(map.options.methods ?? {}, method);
  if (configured !== undefined) return configured;
  return OPEN_METHODS.has(method) || method.startsWith('notifications/') ? OPEN : undefined;
}

/** The requirement, read from the headers (which the gate has checked against the body). */
export function requirementOf(map: GateMap, request: Request): Requirement | undefined {
  const method = request.headers.get(MCP_METHOD_HEADER) ?? '';
  const header = request.headers.get(MCP_NAME_HEADER);
  const name = nameField(method) === undefined || header === null ? undefined : decodeMcpName(header);
  return requirementFor(map, method, name);
}

/** Whether the agent meets the requirement (scopes granted, purpose accepted). */
export const grants = (
  agent: { readonly scopes: readonly string[]; readonly purpose: string },
  r: Requirement,
) =>
  scopesGrant(agent.scopes, r.scopes).ok && (r.purposes === undefined || r.purposes.includes(agent.purpose));
