// SPDX-License-Identifier: Apache-2.0
// Undefined terms on the JCS path: JSON-LD safe mode refuses a property (or a type) that no context
// in scope defines and no @vocab catches; RDFC issuers do. This walks the document with the
// closed-world contexts the way JSON-LD 1.1 expansion scopes them (embedded, type-scoped contexts
// that do not propagate to nested nodes, property-scoped contexts that do) and refuses the same
// terms, without JSON-LD processing. A context it does not know makes the document unjudgeable
// here: the check is skipped (an RDFC pipeline refuses it with ERR_DOCUMENT_NOT_FOUND).
import { CONTEXTS } from '@agent-passport/contexts';
import { asList, Invalid, isObject, type Json } from './internal/invalid.js';

/** Context documents by URL, beyond the bundled ones (a server's configured contexts). */
export type ContextLookup = (url: string) => unknown;

interface TermDef {
  /** The keyword a term aliases ('@type', '@id'…): its value is not a node to walk. */
  readonly alias?: string;
  readonly json: boolean;
  /** A scoped context (type-scoped for a type, property-scoped for a property). */
  readonly context?: unknown;
  /** The definition (and so its scoped context) comes from a bundled context document. */
  readonly bundled: boolean;
}

interface Active {
  /** null: explicitly undefined (`"term": null`). */
  readonly terms: ReadonlyMap<string, TermDef | null>;
  readonly vocab: boolean;
  /**
   * Built from bundled context documents only (the same for every document and every lookup) and
   * held in the process-wide tables below, which is why further bundled definitions on it are shared.
   */
  readonly bundled: boolean;
}

class Unknown extends Error {}

const EMPTY: Active = { terms: new Map(), vocab: false, bundled: true };
const MAX_CONTEXT_DEPTH = 16;

function termDef(def: unknown, bundled: boolean): TermDef | null {
  if (def === null) return null;
  if (typeof def === 'string')
    return { json: false, bundled, ...(def.startsWith('@') ? { alias: def } : {}) };
  if (!isObject(def)) throw new Unknown();
  const id = def['@id'];
  if (id === null) return null;
  return {
    json: def['@type'] === '@json',
    bundled,
    ...(typeof id === 'string' && id.startsWith('@') ? { alias: id } : {}),
    ...(def['@context'] === undefined ? {} : { context: def['@context'] }),
  };
}

/**
 * The term definitions of a bundled context object applied to a bundled active context, built once
 * per process: the bundled documents are frozen, so the result never changes (it was rebuilt, term
 * by term, for every document). Only this step and the application of a bundled URL (BUNDLED_URLS)
 * are shared; resolution, its depth bound and the per-document cache run as before.
 */
const BUNDLED_DEFINITIONS = new WeakMap<Active, WeakMap<object, Active>>();

/**
 * The process-wide tables are bounded: each shared active context holds a copy of every term in
 * scope, and a document chooses its sequence of contexts (every order and repetition of the
 * bundled URLs is another sequence), so an unbounded table grew by a copy for every new sequence a
 * client sent, before any signature was checked. Past the bound an active context is built per
 * document, as any non-bundled one is: a full table costs speed only.
 */
export const MAX_SHARED_ENTRIES = 512;
let sharedEntries = 0;

/** How many entries the process-wide tables hold (for tests). */
export const sharedEntryCount = (): number => sharedEntries;

/** Remember `result` for `ctx` applied to `active` in `table`, while the bound allows. */
function share<K>(
  table: WeakMap<Active, { set(key: K, value: Active): unknown }>,
  byCtx: () => { set(key: K, value: Active): unknown },
  active: Active,
  ctx: K,
  result: Active,
): void {
  if (sharedEntries >= MAX_SHARED_ENTRIES) return;
  sharedEntries++;
  const entries = table.get(active) ?? byCtx();
  table.set(active, entries);
  entries.set(ctx, result);
}

/**
 * A bundled URL applied to a shared active context: the definitions of its document (shared above),
 * found without resolving the URL again. Its document's @context is an object holding no further
 * @context (a test checks every bundled document), so the application goes one level deeper and no
 * lookup is asked: the result is the same for every document, at the depths it is taken from (a
 * document's @context or its list: depth 0 or 1).
 */
const BUNDLED_URLS = new WeakMap<Active, Map<string, Active>>();
const URL_SHARE_DEPTH = 1;

function definitions(active: Active, ctx: Json, bundled: boolean): Active {
  const shared = bundled && active.bundled;
  const known = shared ? BUNDLED_DEFINITIONS.get(active)?.get(ctx) : undefined;
  if (known !== undefined) return known;
  const terms = new Map(active.terms);
  let vocab = active.vocab;
  for (const [term, def] of Object.entries(ctx)) {
    if (term === '@vocab') vocab = typeof def === 'string';
    else if (!term.startsWith('@')) terms.set(term, termDef(def, bundled));
  }
  const result: Active = { terms, vocab, bundled: shared && sharedEntries < MAX_SHARED_ENTRIES };
  if (result.bundled) share(BUNDLED_DEFINITIONS, () => new WeakMap(), active, ctx, result);
  return result;
}

class Contexts {
  /**
   * Applications already made for this document. A Map, not a WeakMap: it lives as long as the
   * check, and ephemerons cost the collector more.
   */
  private readonly cache = new Map<Active, Map<unknown, Active>>();
  constructor(private readonly lookup: ContextLookup) {}

  /**
   * `active` with the local context `ctx` applied; `bundled` when `ctx` is part of a bundled
   * context document (a URL names one by its value, wherever it appears).
   */
  apply(active: Active, ctx: unknown, depth = 0, bundled = false): Active {
    if (depth > MAX_CONTEXT_DEPTH) throw new Unknown();
    const url = typeof ctx === 'string' && active.bundled && depth <= URL_SHARE_DEPTH ? ctx : undefined;
    const known = url === undefined ? undefined : BUNDLED_URLS.get(active)?.get(url);
    if (known !== undefined) return known;
    const byCtx = this.cache.get(active) ?? new Map<unknown, Active>();
    const cached = byCtx.get(ctx);
    if (cached !== undefined) return cached;
    const result = this.compute(active, ctx, depth, bundled);
    this.cache.set(active, byCtx);
    byCtx.set(ctx, result);
    if (url !== undefined && result.bundled && CONTEXTS.has(url))
      share(BUNDLED_URLS, () => new Map(), active, url, result);
    return result;
  }

  private compute(active: Active, ctx: unknown, depth: number, bundled: boolean): Active {
    if (ctx === null) return EMPTY;
    if (Array.isArray(ctx)) return ctx.reduce<Active>((a, c) => this.apply(a, c, depth + 1, bundled), active);
    if (typeof ctx === 'string') {
      const own = CONTEXTS.get(ctx);
      const doc = own ?? this.lookup(ctx);
      if (!isObject(doc) || !('@context' in doc)) throw new Unknown();
      return this.apply(active, doc['@context'], depth + 1, own !== undefined);
    }
    if (!isObject(ctx) || '@import' in ctx) throw new Unknown();
    // A context object wrapping its definitions in @context (as a context document does), as
    // JSON-LD processors read it.
    if ('@context' in ctx) return this.apply(active, ctx['@context'], depth + 1, bundled);
    return definitions(active, ctx, bundled);
  }
}

const isIri = (key: string): boolean => key.includes(':');

/**
 * Nodes already walked from the empty context, and whether they could be judged (false: a context
 * was unknown). A presentation's walk reaches each embedded credential from the empty context
 * (`verifiableCredential` is scoped to `@context: null`), exactly as the credential's own walk began,
 * so it takes that outcome instead of walking the credential again.
 */
export type JudgedNodes = ReadonlyMap<object, boolean>;

class Walker {
  constructor(
    private readonly contexts: Contexts,
    private readonly judged: JudgedNodes,
  ) {}

  /** Refuse a type that expands to no IRI (safe mode: a relative @type); `node[key]` holds it. */
  private checkType(t: unknown, active: Active, path: string, key: string): void {
    if (typeof t !== 'string' || isIri(t) || active.vocab) return;
    if (active.terms.get(t) == null)
      throw new Invalid(
        `${path}/${key}`,
        `the type ${t} is defined by no context in scope`,
        'ERR_VCDM_UNDEFINED_TERM',
      );
  }

  /** The node's types (under @type or an alias of it), each checked, and the string ones sorted. */
  private types(node: Json, base: Active, path: string): string[] {
    const names: string[] = [];
    for (const key of Object.keys(node)) {
      if (key !== '@type' && base.terms.get(key)?.alias !== '@type') continue;
      for (const t of asList(node[key])) {
        this.checkType(t, base, path, key);
        if (typeof t === 'string') names.push(t);
      }
    }
    return names.length > 1 ? names.sort() : names;
  }

  node(node: Json, inherited: Active, path: string): void {
    const base =
      node['@context'] === undefined ? inherited : this.contexts.apply(inherited, node['@context']);
    let local = base;
    for (const t of this.types(node, base, path)) {
      const def = base.terms.get(t);
      if (def?.context !== undefined) local = this.contexts.apply(local, def.context, 0, def.bundled);
    }
    for (const key of Object.keys(node)) {
      // Proofs are not part of what is secured (Data Integrity §4: the proof is set aside first),
      // and each cryptosuite checks its own proof: a proof set may hold foreign proof types.
      if (key.startsWith('@') || key === 'proof') continue;
      const def = local.terms.get(key);
      if (def === null || (def === undefined && !isIri(key) && !local.vocab))
        throw new Invalid(
          `${path}/${key}`,
          `the property ${key} is defined by no context in scope`,
          'ERR_VCDM_UNDEFINED_TERM',
        );
      if (def?.alias !== undefined || def?.json === true) continue;
      // Nested nodes leave the type-scoped contexts behind and take the property-scoped one (applied
      // even for a plain value: an unknown scoped context makes the document unjudgeable).
      const child =
        def?.context === undefined ? base : this.contexts.apply(base, def.context, 0, def.bundled);
      const value = node[key];
      // Only objects and arrays are walked (and need their path): a string or number holds no term.
      if (typeof value === 'object' && value !== null) this.value(value, child, `${path}/${key}`);
    }
  }

  private value(value: unknown, active: Active, path: string): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const v: unknown = value[i];
        if (typeof v === 'object' && v !== null) this.value(v, active, `${path}/${i}`);
      }
      return;
    }
    if (!isObject(value) || '@value' in value) return;
    if ('@list' in value || '@set' in value) {
      this.value(value['@list'] ?? value['@set'], active, path);
      return;
    }
    const known = active === EMPTY ? this.judged.get(value) : undefined;
    if (known === false) throw new Unknown();
    if (known === undefined) this.node(value, active, path);
  }
}

const NONE: JudgedNodes = new Map();

/**
 * Refuse (ERR_VCDM_UNDEFINED_TERM) a property or type of `doc` (proofs aside) that its
 * contexts do not define, when every context is known: bundled, or given by `lookup`. Returns
 * whether it could judge (false: a context is unknown, and the check is skipped). `judged` holds
 * nodes walked before with the same `lookup` (see JudgedNodes).
 */
export function checkDefinedTerms(
  doc: Json,
  path: string,
  lookup: ContextLookup = () => undefined,
  judged: JudgedNodes = NONE,
): boolean {
  try {
    new Walker(new Contexts(lookup), judged).node(doc, EMPTY, path);
    return true;
  } catch (e) {
    if (e instanceof Unknown) return false;
    throw e;
  }
}
