// SPDX-License-Identifier: Apache-2.0
// A second service instance (for the one-writer test): opens the evidence log and keeps it open,
// or reports on stdout the code it was refused with.
import { openEvidenceLog } from '../dist/index.js';

try {
  openEvidenceLog(process.argv[2]);
  process.stdout.write('open\n');
  setInterval(() => {}, 60_000);
} catch (e) {
  process.stdout.write(`refused ${e?.code ?? String(e)}\n`);
}
