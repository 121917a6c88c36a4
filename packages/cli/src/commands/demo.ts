// SPDX-License-Identifier: Apache-2.0
import type { Command } from 'commander';
import { lazy } from '../context.js';

export function declareDemo(program: Command): void {
  program
    .command('demo')
    .description('run the whole story on embedded defaults: org, publish, two agents, verify (npm start)')
    .option('--calls', 'instead: a service over loopback HTTP logging evidence, three agents calling it')
    .option('--out <dir>', 'with --calls: where the evidence log, trust bundle and bundle author go', 'demo')
    .addHelpText('after', '\nExamples:\n  $ agent-passport demo\n  $ agent-passport demo --calls --out demo')
    .action(lazy(() => import('../verbs/demo.js')));
}
