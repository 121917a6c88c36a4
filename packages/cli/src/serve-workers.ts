// SPDX-License-Identifier: Apache-2.0
// `serve --workers N`: the VC API service in N processes sharing one port (node:cluster), each a
// full service over the same issuer state file (its inter-process lock orders issuance and status
// changes; each process follows the others' changes before relying on its signed lists). The
// primary unlocks the organisation key once and hands it to its workers over their IPC channel;
// they never read the key store. One certificate for all: a self-signed one is made here once.
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import {
  type ListenOptions,
  type RunningServer,
  selfSignedCertificate,
  startVcApiServer,
  type VcApiConfig,
} from '@agent-passport/server';
import { createSigner, encodePrivateKeyMultibase, type PrivateKey } from '@agent-passport/suites';

/** The service configuration without its signer (it crosses a process boundary), publicUrl optional. */
export type ServiceConfig = Omit<VcApiConfig, 'issuer' | 'publicUrl'> & {
  readonly issuer: Omit<VcApiConfig['issuer'], 'signer'>;
  readonly publicUrl?: string;
};

/** What a worker is sent: the configuration, the key (multibase) and its verification method. */
export interface WorkerStart {
  readonly type: 'start';
  readonly config: ServiceConfig;
  readonly key: string;
  readonly verificationMethod: string;
  readonly listen: ListenOptions;
}

/** Start the service in this process with `key` as the issuer's signer. */
export function startService(
  config: ServiceConfig,
  key: PrivateKey,
  verificationMethod: string,
  listen: ListenOptions,
) {
  const signer = createSigner(key, verificationMethod);
  return startVcApiServer(
    (origin) => ({ ...config, issuer: { ...config.issuer, signer }, publicUrl: config.publicUrl ?? origin }),
    listen,
  );
}

/** Fork one worker and resolve with the origin it listens at. */
function fork(start: WorkerStart): Promise<{ worker: Worker; url: string; port: number }> {
  const worker = cluster.fork();
  return new Promise((ok, fail) => {
    worker.on('message', (m: { type: string; url?: string; port?: number; message?: string }) => {
      // Sent once the worker listens for messages (one sent earlier could be lost while it loads).
      if (m.type === 'ready') worker.send(start);
      if (m.type === 'listening') ok({ worker, url: m.url as string, port: m.port as number });
      if (m.type === 'failed') fail(new Error(m.message));
    });
    worker.once('exit', (code) => fail(new Error(`a server worker exited during start-up (${code})`)));
  });
}

/** Ask every worker to close, and wait for them (killed after `graceMs`). */
function stopAll(workers: readonly Worker[], graceMs = 5000): Promise<void> {
  return Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((done) => {
          if (w.isDead()) return done();
          const timer = setTimeout(() => w.process.kill('SIGKILL'), graceMs);
          w.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          if (w.isConnected()) w.send({ type: 'stop' });
          else w.process.kill('SIGTERM');
        }),
    ),
  ).then(() => undefined);
}

/** Start `count` (≥ 2) worker processes serving `config` on one port. */
export async function startWorkers(
  config: ServiceConfig,
  key: PrivateKey,
  verificationMethod: string,
  listen: ListenOptions,
  count: number,
): Promise<RunningServer> {
  // One certificate for every worker: a self-signed one is made here, once.
  const { selfSigned, ...rest } = listen;
  const mint = selfSigned === true && listen.tlsCert === undefined && listen.tlsKey === undefined;
  const tls = mint ? await selfSignedCertificate() : undefined;
  const shared: ListenOptions = tls === undefined ? rest : { ...rest, tls };
  cluster.setupPrimary({
    exec: fileURLToPath(new URL('./serve-worker.js', import.meta.url)),
    serialization: 'advanced',
  });
  const start: WorkerStart = {
    type: 'start',
    config,
    key: encodePrivateKeyMultibase(key),
    verificationMethod,
    listen: shared,
  };
  // Every worker listens with the same options: the primary holds one socket (port 0: one free
  // port for all) and hands connections to the workers in turn.
  const started = await Promise.all(Array.from({ length: count }, () => fork(start))).catch(
    async (cause: unknown) => {
      await stopAll(Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined));
      throw cause;
    },
  );
  const first = started[0] as (typeof started)[number];
  const workers = started.map((s) => s.worker);
  return {
    url: first.url,
    port: first.port,
    ...(tls === undefined ? {} : { cert: tls.cert }),
    close: () => stopAll(workers),
  };
}
