#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// The `agent-passport` command (package.json "bin").
import { main } from './main.js';

// A reader that stops early (`| head`) is not an error of the command.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});
process.exitCode = await main(process.argv.slice(2));
