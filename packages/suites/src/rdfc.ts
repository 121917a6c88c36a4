// SPDX-License-Identifier: Apache-2.0
// RDFC-1.0 canonicalisation under a budget. JSON-LD expansion (toRdf) and RDF Dataset
// Canonicalization §4.8 (Hash N-Degree Quads) are super-linear on attacker-chosen documents: a
// ring of blank nodes passes the canonicaliser's own work factor and still costs seconds. So an
// eddsa-rdfc-2022 document is bounded before expansion (its JSON values), before canonicalisation
// (its blank nodes) and during it (work factor and a deadline); past any bound: ERR_RDFC_LIMIT.
import { PassportError } from '@agent-passport/core';

export interface RdfcLimits {
  /** JSON values (objects, arrays and scalars) expanded under one budget, over all its documents. */
  readonly maxJsonValues: number;
  /** Distinct blank nodes in one document's dataset. */
  readonly maxBlankNodes: number;
  /** rdf-canonize's work factor: deep iterations allowed = (non-unique blank nodes) ** factor. */
  readonly maxWorkFactor: number;
  /**
   * The deadline: milliseconds of this process's CPU time (process.cpuUsage, not wall time, so that
   * a busy machine does not refuse honest documents; wall time where there is no CPU clock) after
   * which canonicalisation stops.
   */
  readonly cpuMs: number;
}

/**
 * Defaults sized so that one budget costs about 50 ms of CPU at worst (measured, see the server
 * README): an honest passport is about 40 JSON values and a handful of blank nodes.
 */
export const RDFC_LIMITS: Readonly<RdfcLimits> = Object.freeze({
  maxJsonValues: 600,
  maxBlankNodes: 64,
  maxWorkFactor: 1,
  cpuMs: 200,
});

/** What is left of a budget: one per request, shared by every RDFC document it verifies. */
export interface RdfcBudget {
  readonly limits: Readonly<RdfcLimits>;
  /** JSON values still allowed. */
  jsonValuesLeft: number;
  /**
   * Process CPU time (µs, user + system) past which canonicalisation stops: `cpuMs` after the
   * budget's first RDFC-1.0 canonicalisation starts (read then, so that a call that never
   * canonicalises with RDFC, the usual JCS one, never reads the CPU clock).
   */
  readonly deadline: number;
}

export function createRdfcBudget(limits?: Partial<RdfcLimits>): RdfcBudget {
  // The defaults need no check: a verifier makes one budget per call, most never canonicalise.
  const all = limits === undefined ? RDFC_LIMITS : { ...RDFC_LIMITS, ...limits };
  if (all !== RDFC_LIMITS)
    for (const [name, value] of Object.entries(all))
      if (typeof value !== 'number' || Number.isNaN(value) || value < 0)
        throw new RangeError(`${name} must be a non-negative number`);
  return new Budget(all);
}

/** A budget whose CPU clock starts when its deadline is first read (a class: one per call). */
class Budget implements RdfcBudget {
  jsonValuesLeft: number;
  #deadline: number | undefined;
  constructor(readonly limits: Readonly<RdfcLimits>) {
    this.jsonValuesLeft = limits.maxJsonValues;
  }
  get deadline(): number {
    this.#deadline ??= cpuNow() + this.limits.cpuMs * 1000;
    return this.#deadline;
  }
}

type CpuClock = { process?: { cpuUsage?: () => { user: number; system: number } } };

/** Microseconds of CPU time where the runtime has the clock (Node); elsewhere wall time. */
function cpuNow(): number {
  const usage = (globalThis as CpuClock).process?.cpuUsage?.();
  return usage === undefined ? performance.now() * 1000 : usage.user + usage.system;
}

const limit = (message: string) => new PassportError('ERR_RDFC_LIMIT', message);

/** Charge the document's JSON values to the budget, stopping as soon as it is spent. */
function chargeJsonValues(input: unknown, budget: RdfcBudget): void {
  const stack: unknown[] = [input];
  while (stack.length > 0) {
    const v = stack.pop();
    if (--budget.jsonValuesLeft < 0)
      throw limit(`more than ${budget.limits.maxJsonValues} JSON values to canonicalise with RDFC-1.0`);
    if (typeof v === 'object' && v !== null) for (const x of Object.values(v)) stack.push(x);
  }
}

interface Term {
  readonly termType: string;
  readonly value: string;
}
interface Quad {
  readonly subject: Term;
  readonly object: Term;
  readonly graph: Term;
}

function countBlankNodes(dataset: readonly Quad[]): number {
  const seen = new Set<string>();
  for (const q of dataset)
    for (const t of [q.subject, q.object, q.graph]) if (t.termType === 'BlankNode') seen.add(t.value);
  return seen.size;
}

let modules: Promise<[typeof import('jsonld'), typeof import('rdf-canonize')]> | undefined;
/** jsonld and rdf-canonize, loaded once. */
const rdfcModules = () => {
  modules ??= Promise.all([import('jsonld'), import('rdf-canonize')]);
  return modules;
};

/** A credential every closed-world loader knows the context of: the warm-up's document. */
const WARM_UP = {
  '@context': ['https://www.w3.org/ns/credentials/v2'],
  type: ['VerifiableCredential'],
  issuer: 'did:example:warm-up',
  credentialSubject: { id: 'did:example:warm-up' },
};
let warm: Promise<void> | undefined;

/**
 * Canonicalise a fixed document once per process, before any budget's clock starts: the first
 * RDFC-1.0 run compiles the code and processes the VCDM 2.0 context (about 200 ms of CPU cold,
 * a fifth of it after), which no document should be charged for. Its outcome is not used.
 */
export function warmedUp(documentLoader: unknown): Promise<void> {
  warm ??= rdfcModules()
    .then(async ([{ default: jsonld }, rdfCanonize]) => {
      const dataset = await jsonld.toRDF(WARM_UP, { documentLoader, base: null, safe: true });
      await rdfCanonize.canonize(dataset, { algorithm: 'RDFC-1.0', format: 'application/n-quads' });
    })
    .then(
      () => undefined,
      () => undefined,
    );
  return warm;
}

/**
 * A cryptosuite `canonize` (eddsa-rdfc-2022 §3.2.3: JSON-LD toRdf, then RDFC-1.0 to N-Quads) that
 * spends `budget()`: the same output as the stock one, or ERR_RDFC_LIMIT.
 */
export function boundedCanonize(budget: () => RdfcBudget) {
  return async (input: unknown, options: { documentLoader?: unknown }): Promise<string> => {
    const b = budget();
    chargeJsonValues(input, b);
    // JSON-LD processing loads on first use, like the rest of the digitalbazaar stack (proof.ts):
    // before the clock starts, so that loading and compiling it is never charged to a document.
    const [{ default: jsonld }, rdfCanonize] = await rdfcModules();
    await warmedUp(options.documentLoader);
    // The first canonicalisation under this budget starts its clock.
    const { deadline } = b;
    const overdue = () => cpuNow() > deadline;
    if (overdue()) throw limit('the RDFC-1.0 CPU deadline passed');
    const dataset = (await jsonld.toRDF(input, {
      documentLoader: options.documentLoader,
      base: null,
      safe: true,
      rdfDirection: 'i18n-datatype',
      produceGeneralizedRdf: false,
    })) as Quad[];
    const blank = countBlankNodes(dataset);
    if (blank > b.limits.maxBlankNodes)
      throw limit(`${blank} blank nodes; at most ${b.limits.maxBlankNodes} are canonicalised`);
    if (overdue()) throw limit('the RDFC-1.0 CPU deadline passed');
    const signal = {
      get aborted() {
        return overdue();
      },
      reason: 'deadline',
    };
    try {
      return await rdfCanonize.canonize(dataset, {
        algorithm: 'RDFC-1.0',
        format: 'application/n-quads',
        maxWorkFactor: b.limits.maxWorkFactor,
        signal,
      });
    } catch (cause) {
      // rdf-canonize's own bounds: "Maximum deep iterations exceeded", "Abort signal received".
      if (overdue() || /deep iterations|abort/i.test((cause as Error)?.message ?? ''))
        throw new PassportError('ERR_RDFC_LIMIT', 'the RDFC-1.0 work budget or CPU deadline ran out', {
          cause,
        });
      throw cause;
    }
  };
}
