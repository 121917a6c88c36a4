// SPDX-License-Identifier: Apache-2.0
// The audit rows of `npm run bench`, and the million-entry measurement of the evidence README:
//
//   node scripts/bench-audit.mjs [--entries 1000000] [--workers N|auto]
//
// A log of signed calls from 100 agents (50 calls a second, a body on each) is generated first,
// outside the timed part, and kept in the temporary folder for the next run. The audit then runs
// in a child process of its own, so that its peak RSS (worker threads included) is the audit's
// alone; its rate is compared with raw Ed25519 verifies measured in this run on one core.
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const GENERATOR = 3;
const AGENTS = 100;
const STEP_MS = 20;
const T0 = Date.parse('2026-06-01T00:00:00Z');

/**
 * Raw Ed25519 verifies (a key object reused) per second of this thread's CPU, over about `ms`: CPU
 * time, not wall time, so that a machine shared with other work still measures its own ceiling.
 */
export function rawVerifiesPerSecond(ms = 1000) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const message = createHash('sha256').update('baseline').digest();
  const signature = sign(null, message, privateKey);
  for (let i = 0; i < 300; i++) verify(null, message, publicKey, signature);
  let n = 0;
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - start < ms) {
    for (let i = 0; i < 100; i++) if (verify(null, message, publicKey, signature)) n++;
  }
  const cpu = process.cpuUsage(cpu0);
  return (n * 1e6) / (cpu.user + cpu.system);
}

async function world() {
  const { buildDidDocument } = await import('@agent-passport/did-web');
  const { issuePassport } = await import('@agent-passport/issuer');
  const { generateKey } = await import('@agent-passport/keystore');
  const { AGENT_PASSPORT_SCHEMA } = await import('@agent-passport/schema');
  const { createSigner, didKeySigner } = await import('@agent-passport/suites');
  const { createTrustBundle } = await import('@agent-passport/trust-bundle');
  const did = 'did:web:acme.example';
  const orgKey = generateKey();
  const didDocument = buildDidDocument({
    did,
    keys: [{ id: 'key-1', publicKeyMultibase: orgKey.publicKeyMultibase }],
  });
  const agents = [];
  for (let a = 0; a < AGENTS; a++) {
    const key = generateKey();
    const passport = await issuePassport({
      issuer: { id: did, signer: createSigner(orgKey, `${did}#key-1`), didDocument },
      subject: key.did,
      agentName: `agent-${a}`,
      purpose: 'invoicing',
      scopes: ['write:ledger'],
      validUntil: new Date(T0 + 90 * 86_400_000),
      now: new Date(T0 - 60_000),
    });
    agents.push({
      key,
      signer: didKeySigner(key),
      passport,
      bytes: new TextEncoder().encode(JSON.stringify(passport)),
    });
  }
  const operator = generateKey();
  const bundle = JSON.stringify(
    await createTrustBundle({
      author: { id: operator.did, signer: didKeySigner(operator) },
      issuers: [{ id: did, didDocument, statusLists: [], schema: AGENT_PASSPORT_SCHEMA }],
    }),
  );
  return { agents, bundle, author: operator.did };
}

/** One signed call, as the middleware hands it to the log after verifying it. */
async function call(agent, i, first) {
  const { PASSPORT_HEADER, PASSPORT_REF_HEADER, passportRef, signRequest } = await import(
    '@agent-passport/http-signatures'
  );
  const time = new Date(T0 + i * STEP_MS);
  const ref = passportRef(agent.bytes);
  const signed = await signRequest(
    new Request('https://api.example/ledger', { method: 'POST', body: JSON.stringify({ amount: i }) }),
    {
      keyId: agent.signer.id,
      signer: (data) => agent.signer.sign({ data }),
      created: Math.floor(time.getTime() / 1000),
      extraHeaders: first
        ? { [PASSPORT_HEADER]: Buffer.from(agent.bytes).toString('base64url') }
        : { [PASSPORT_REF_HEADER]: ref },
    },
  );
  const headers = Object.fromEntries(signed.headers);
  const nonce = /nonce="([^"]+)"/.exec(headers['signature-input'])?.[1];
  return {
    kind: 'request',
    time,
    method: 'POST',
    url: signed.url,
    headers,
    body: new Uint8Array(await signed.arrayBuffer()),
    passport: agent.bytes,
    requiredScopes: ['write:ledger'],
    verification: {
      verified: true,
      checks: [],
      errors: [],
      agent: agent.key.did,
      passport: agent.passport,
      passportRef: ref,
      keyId: agent.signer.id,
      nonce,
    },
  };
}

/** A log of `entries` signed calls in `dir` (reused when a previous run made the same one). */
export async function generateLog(dir, entries) {
  const metaFile = join(dir, 'meta.json');
  if (existsSync(metaFile)) {
    const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
    if (meta.entries === entries && meta.generator === GENERATOR) return meta;
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const { openEvidenceLog } = await import('@agent-passport/evidence');
  const { agents, bundle, author } = await world();
  // The trust first: a log cut short (generation stopped) can still be audited.
  writeFileSync(join(dir, 'trust.json'), JSON.stringify({ bundle, author }));
  const path = join(dir, 'evidence.jsonl');
  const log = openEvidenceLog(path);
  const seen = new Set();
  for (let start = 0; start < entries; start += 1000) {
    const calls = [];
    for (let i = start; i < Math.min(entries, start + 1000); i++) {
      const a = i % AGENTS;
      calls.push(await call(agents[a], i, !seen.has(a)));
      seen.add(a);
    }
    await Promise.all(calls.map((c) => log.record(c)));
    if (start % 100_000 === 0 && start > 0) process.stderr.write(`  generated ${start} entries\n`);
  }
  log.close();
  const bytes = Number(execFileSync('du', ['-sb', dir]).toString().split('\t')[0]);
  const meta = { generator: GENERATOR, entries, bundle, author, bytes };
  writeFileSync(metaFile, JSON.stringify(meta));
  return meta;
}

/** The audit of the log in `dir`, in a child process: its time, CPU and peak RSS. */
function auditInChild(dir, workers) {
  const out = execFileSync(
    process.execPath,
    [fileURLToPath(import.meta.url), '--audit-child', dir, String(workers)],
    {
      maxBuffer: 1 << 20,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return JSON.parse(out.toString());
}

async function childMain(dir, workers) {
  const { auditLog } = await import('@agent-passport/evidence');
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8'));
  const cpu0 = process.cpuUsage();
  const t = performance.now();
  const report = await auditLog(join(dir, 'evidence.jsonl'), {
    bundles: [meta.bundle],
    authors: [meta.author],
    ...(workers === 'auto' ? {} : { workers: Number(workers) }),
  });
  const ms = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const result = {
    entries: report.entries,
    accepted: report.totals.accepted,
    intact: report.intact,
    problems: report.problems.length,
    ms,
    cpuUs: cpu.user + cpu.system,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  };
  process.stdout.write(JSON.stringify(result));
}

/** Audit `entries` entries with `workers`, and put it beside this machine's raw verify rate. */
export async function measureAudit({
  entries,
  workers,
  dir = join(tmpdir(), `agent-passport-audit-${entries}`),
}) {
  const meta = await generateLog(dir, entries);
  // The machine's ceiling just before and just after the audit (a shared machine drifts).
  const before = rawVerifiesPerSecond();
  const r = auditInChild(dir, workers);
  const raw = (before + rawVerifiesPerSecond()) / 2;
  if (r.entries !== entries || r.accepted !== entries || !r.intact)
    throw new Error(`the audit bench log did not audit clean: ${JSON.stringify(r)}`);
  const perSecond = (r.entries * 1000) / r.ms;
  const threads =
    workers === 'auto' ? (meta.bytes < 8 * 1024 * 1024 ? 1 : cpus().length) : Math.max(1, workers);
  return {
    entries,
    logMb: meta.bytes / 1e6,
    workers,
    cores: threads,
    seconds: r.ms / 1000,
    perSecond,
    rawVerifiesPerSecond: raw,
    /** Entries a second per core (wall time), as a share of raw verifies a second on one core. */
    perCoreRatio: perSecond / threads / raw,
    /** Entries per CPU second of the whole process, as a share of raw verifies per CPU second. */
    cpuRatio: r.entries / (r.cpuUs / 1e6) / raw,
    /** CPU of the whole process per entry, in raw verifies (1 = the cryptographic floor). */
    cpuPerEntryInVerifies: (r.cpuUs / r.entries) * (raw / 1e6),
    peakRssMb: r.maxRssMb,
  };
}

const line = (m) =>
  `${m.entries} entries (${m.logMb.toFixed(0)} MB) on ${m.workers === 0 ? 'this thread' : `${m.cores} core(s)`}: ${m.perSecond.toFixed(0)} entries/s in ${m.seconds.toFixed(1)} s (${m.perCoreRatio.toFixed(2)}× raw verifies/s per core, wall); ${m.cpuRatio.toFixed(2)}× the raw verify rate per CPU second (raw: ${m.rawVerifiesPerSecond.toFixed(0)} verifies per CPU second; ${m.cpuPerEntryInVerifies.toFixed(2)} raw verifies of CPU per entry); peak RSS ${m.peakRssMb.toFixed(0)} MB`;

/** The bench rows: a 20,000-entry log in this thread and on every core. */
export async function benchAudit({ smoke = false, outDir } = {}) {
  const entries = smoke ? 500 : 20_000;
  const results = [];
  for (const workers of [0, cpus().length]) results.push(await measureAudit({ entries, workers }));
  console.log(
    '\naudit of an evidence log (generated first, not timed; ratios to raw Ed25519 verifies in this run)',
  );
  for (const m of results) console.log(`  ${line(m)}`);
  if (outDir !== undefined) {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(
      join(outDir, smoke ? 'audit-smoke.json' : 'audit-latest.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
  }
  return results;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? fallback : process.argv[i + 1];
  };
  if (process.argv[2] === '--audit-child') await childMain(process.argv[3], process.argv[4]);
  else {
    const entries = Number(arg('--entries', '1000000'));
    const w = arg('--workers', 'auto');
    console.log(line(await measureAudit({ entries, workers: w === 'auto' ? 'auto' : Number(w) })));
  }
}
