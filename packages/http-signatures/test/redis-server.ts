// SPDX-License-Identifier: Apache-2.0
// A real redis-server for tests on a free loopback port, stopped after the suite. Durable by default
// (AOF in a temporary directory, no eviction: the configuration the README asks for); `durable:
// false` runs it without persistence; `unixSocket: true` also listens on a Unix socket in that
// directory and gives its path as `url`. `restart()` kills it (SIGKILL) and starts it on the same port.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function haveRedis(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

export interface RunningRedis {
  /** `redis://127.0.0.1:<port>`, or the socket's path with `unixSocket: true`. */
  readonly url: string;
  readonly port: number;
  /** SIGKILL, then the same server (same port, same directory, same settings) again. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise<void>((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok();
    child.once('exit', () => ok());
    child.kill('SIGKILL');
  });
}

async function launch(port: number, args: readonly string[]): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', ...args], {
    stdio: 'ignore',
  });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'pipe' });
      return child;
    } catch {
      if (Date.now() > deadline) {
        await kill(child);
        throw new Error('redis-server did not start');
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export async function startRedis(
  options: { durable?: boolean; unixSocket?: boolean } = {},
): Promise<RunningRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ap-redis-'));
  const socket = join(dir, 'redis.sock');
  const args = [
    ...(options.durable === false
      ? ['--save', '', '--appendonly', 'no', '--dir', dir]
      : ['--save', '', '--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir]),
    ...(options.unixSocket === true ? ['--unixsocket', socket, '--unixsocketperm', '700'] : []),
  ];
  let child = await launch(port, args);
  return {
    url: options.unixSocket === true ? socket : `redis://127.0.0.1:${port}`,
    port,
    async restart() {
      await kill(child);
      child = await launch(port, args);
    },
    async stop() {
      await kill(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
