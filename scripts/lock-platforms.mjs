// SPDX-License-Identifier: Apache-2.0
// The registry this project is built against serves only the Linux builds of packages that ship
// per-platform binaries as optional dependencies (biome, turbo). npm then leaves the other
// platforms out of package-lock.json, and `npm ci` refuses the lockfile as out of sync. This adds
// the missing optional entries with their os/cpu/libc, exactly as npm writes them where the whole
// registry is reachable; npm skips them on platforms they do not match. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = join(import.meta.dirname, '..', 'package-lock.json');
const lock = JSON.parse(readFileSync(file, 'utf8'));
const platform = (name) => {
  const n = name.split('/').pop();
  const os = /darwin/.test(n)
    ? 'darwin'
    : /win32|windows/.test(n)
      ? 'win32'
      : /android/.test(n)
        ? 'android'
        : /freebsd/.test(n)
          ? 'freebsd'
          : 'linux';
  const cpu = /arm64|aarch64/.test(n) ? 'arm64' : /arm/.test(n) ? 'arm' : /ia32/.test(n) ? 'ia32' : 'x64';
  const libc = /musl/.test(n)
    ? 'musl'
    : /gnu/.test(n) || (os === 'linux' && !/musl/.test(n))
      ? 'glibc'
      : undefined;
  return { os: [os], cpu: [cpu], ...(os === 'linux' && libc ? { libc: [libc] } : {}) };
};
let added = 0;
for (const entry of Object.values(lock.packages)) {
  for (const [dep, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const key = `node_modules/${dep}`;
    if (lock.packages[key] !== undefined) continue;
    if (!/^\d+\.\d+\.\d+/.test(range)) continue;
    lock.packages[key] = {
      version: range,
      dev: entry.dev === true ? true : undefined,
      optional: true,
      ...platform(dep),
    };
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0,
  ),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} platform entries added`);
