// SPDX-License-Identifier: Apache-2.0
// revoke | suspend | reinstate: one implementation (verbs/status-change.ts), three verbs.
import type { Command } from 'commander';
import { lazy } from '../context.js';

const VERBS = [
  ['revoke', 'revoke passports for good (by id, or with --all every passport of an agent)'],
  ['suspend', 'suspend passports until reinstated'],
  ['reinstate', 'lift a suspension (a revocation is permanent)'],
] as const;

export function declareStatusChanges(program: Command): void {
  for (const [change, description] of VERBS) {
    const load = async () => {
      const verb = await import('../verbs/status-change.js');
      return { run: verb.runFor(change) };
    };
    program
      .command(`${change} [passport-id]`)
      .description(description)
      .option('--agent <name>', 'every passport issued to this agent of the home (with --all)')
      .option('--subject <did>', 'every passport issued to this did:key (with --all)')
      .option('--all', 'confirm that every passport of --agent or --subject changes')
      .addHelpText(
        'after',
        `\nExamples:\n  $ agent-passport ${change} urn:uuid:…\n  $ agent-passport ${change} --agent research-12 --all\n\nThen publish (agent-passport publish) and rebuild trust bundles so verifiers learn it.`,
      )
      .action(lazy(load));
  }
}
