// SPDX-License-Identifier: Apache-2.0
// Progress of a long audit on stderr: a bar on a terminal, a plain line a second otherwise.

export interface Progress {
  update(lines: number, done: number, total: number): void;
  stop(): void;
}

async function progressBar(): Promise<Progress> {
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      format: 'auditing [{bar}] {percentage}% | {lines} entries | {eta_formatted} left',
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(lines, done, total) {
      if (!started) bar.start(Math.max(total, 1), 0, { lines: 0 });
      started = true;
      bar.update(done, { lines });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

function progressLines(): Progress {
  let last = 0;
  return {
    update(lines, done, total) {
      const now = Date.now();
      if (now - last < 1000) return;
      last = now;
      const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
      process.stderr.write(`audit: ${lines} entries, ${percent}%\n`);
    },
    stop: () => {},
  };
}

export async function progressReporter(): Promise<Progress> {
  return process.stderr.isTTY ? progressBar() : progressLines();
}
