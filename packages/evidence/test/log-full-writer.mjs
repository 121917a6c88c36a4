// SPDX-License-Identifier: Apache-2.0
// Writes to the log at argv[2] under a file-size limit (ulimit -f, set by log-write-failure.test.ts):
// each later argument is one turn of calls, comma-separated, recorded together (one batch): a
// number is an event whose ref is that many characters, `p` a signed call carrying the fixture
// passport. Prints, per call, `ok <seq>` or `fail <code>`.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openEvidenceLog } from '../dist/index.js';

const passportBytes = readFileSync(
  join(import.meta.dirname, '..', '..', '..', 'fixtures', 'passport.valid.json'),
);
const passport = JSON.parse(passportBytes.toString('utf8'));
const time = new Date(Date.UTC(2026, 5, 1, 12, 0, 0));

function record(log, item) {
  if (item !== 'p') return log.recordEvent({ time, event: 'login-exchange', ref: 'x'.repeat(Number(item)) });
  return log.record({
    kind: 'request',
    time,
    method: 'GET',
    url: 'https://api.service.example/orders',
    headers: { signature: 'sig1=:c2lnbmF0dXJl:' },
    passport: passportBytes,
    requiredScopes: [],
    verification: { verified: true, checks: [], errors: [], agent: passport.credentialSubject.id, passport },
  });
}

const log = openEvidenceLog(process.argv[2]);
for (const turn of process.argv.slice(3)) {
  const results = await Promise.allSettled(turn.split(',').map((item) => record(log, item)));
  for (const r of results)
    process.stdout.write(
      r.status === 'fulfilled' ? `ok ${r.value.seq}\n` : `fail ${r.reason?.code ?? r.reason}\n`,
    );
}
log.close();
