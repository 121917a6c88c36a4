// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';

export function declareInspect(program: Command): void {
  program
    .command('inspect <file>')
    .description("decode a passport or presentation without verifying it ('-': stdin)")
    .action(lazy(() => import('../verbs/inspect.js')));
}
