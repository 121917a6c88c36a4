// SPDX-License-Identifier: Apache-2.0
// A worker thread of the audit: builds the checker once, then checks batches of lines.
import { parentPort, workerData } from 'node:worker_threads';
import { type CheckerInit, createEntryChecker, type LineItem } from './check-entry.js';

const port = parentPort;
if (port === null) throw new Error('audit-worker runs in a worker thread');
const ready = createEntryChecker(workerData as CheckerInit);
port.on('message', async (message: { id: number; items: LineItem[] }) => {
  try {
    const checker = await ready;
    const results = [];
    for (const item of message.items) results.push(await checker.check(item));
    port.postMessage({ id: message.id, results });
  } catch (error) {
    port.postMessage({ id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
});
