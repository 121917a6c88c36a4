// SPDX-License-Identifier: Apache-2.0
// One worker of `serve --workers N` (node:cluster): it waits for its start message (configuration
// and key) from the primary, serves until told to stop, and stops when the primary goes away.
import { withInspector } from '@agent-passport/inspector';
import type { RunningServer } from '@agent-passport/server';
import { decodePrivateKeyMultibase } from '@agent-passport/suites';
import { startService, type WorkerStart } from './serve-workers.js';

let running: RunningServer | undefined;

async function start(m: WorkerStart): Promise<void> {
  try {
    // The inspector page at /inspect, in front of the VC API (a function does not cross the IPC channel).
    const listen = { ...m.listen, wrap: withInspector };
    running = await startService(m.config, decodePrivateKeyMultibase(m.key), m.verificationMethod, listen);
    process.send?.({ type: 'listening', url: running.url, port: running.port });
  } catch (cause) {
    process.send?.({ type: 'failed', message: cause instanceof Error ? cause.message : String(cause) });
    process.exit(1);
  }
}

async function stop(): Promise<void> {
  await running?.close();
  process.exit(0);
}

process.on('message', (m: { type?: string }) => {
  if (m.type === 'start') void start(m as WorkerStart);
  if (m.type === 'stop') void stop();
});
// The primary is gone (killed): nothing is left to answer to.
process.on('disconnect', () => void stop());
// Signals are the primary's to handle (Ctrl-C reaches the whole process group).
process.on('SIGINT', () => {});
process.on('SIGTERM', () => void stop());
process.send?.({ type: 'ready' });
