// SPDX-License-Identifier: Apache-2.0
// A worker thread of the audit: builds the checker once, then checks batches of lines.
import { parentPort, workerData } from 'node:worker_threads';
import { checkBatch } from './audit-pool.js';
import { type CheckerInit, createEntryChecker, type LineItem } from './check-entry.js';

const port = parentPort;
if (port === null) throw new Error('audit-worker runs in a worker thread');
const ready = createEntryChecker(workerData as CheckerInit);
port.on('message', async (message: { id: number; items: LineItem[] }) => {
  try {
    const checked = checkBatch(await ready, message.items);
    port.postMessage({ id: message.id, results: checked instanceof Promise ? await checked : checked });
  } catch (error) {
    port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
