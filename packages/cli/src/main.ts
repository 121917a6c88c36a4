// SPDX-License-Identifier: Apache-2.0
// Run the command line: parse, run the verb, map what it threw to an exit code and one message
// (with --json, exactly one JSON document on stdout, errors included).
import { type ErrorCode, isPassportError } from '@agent-passport/core';
import { CommanderError } from 'commander';
import { EXIT, type ExitCode, exitCodeFor } from './exit-codes.js';
import { documentsWritten } from './output.js';
import { buildProgram } from './program.js';

export { buildProgram } from './program.js';

interface Failure {
  readonly code: ErrorCode;
  readonly message: string;
  readonly exitCode: ExitCode;
}

/** What a thrown value means for the user; undefined when nothing failed (help, version). */
function failureOf(error: unknown): Failure | undefined {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return undefined;
    // Bare `agent-passport` (or a group without its verb) prints the help and is a usage error.
    const message = error.code === 'commander.help' ? 'no verb given' : error.message.replace(/^error: /, '');
    return { code: 'ERR_USAGE', message, exitCode: EXIT.USAGE };
  }
  if (isPassportError(error))
    return { code: error.code, message: error.message, exitCode: exitCodeFor(error.code) };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'ERR_CLI_INTERNAL', message, exitCode: EXIT.INTERNAL };
}

function report(failure: Failure, json: boolean, fromCommander: boolean): void {
  // One document on stdout: a verb that failed after writing its own leaves it at that.
  if (json && documentsWritten() === 0) {
    const { code, message, exitCode } = failure;
    process.stdout.write(`${JSON.stringify({ error: { code, message }, exitCode }, null, 2)}\n`);
  }
  // Commander has printed its own message (and the help) already.
  if (fromCommander) return;
  if (failure.code === 'ERR_CLI_INTERNAL') process.stderr.write(`internal error: ${failure.message}\n`);
  else if (failure.code === 'ERR_USAGE') process.stderr.write(`error: ${failure.message}\n`);
  else process.stderr.write(`error ${failure.code}: ${failure.message}\n`);
}

/** Run the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  const json = argv.includes('--json');
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return (process.exitCode as ExitCode | undefined) ?? EXIT.OK;
  } catch (error) {
    const failure = failureOf(error);
    if (failure === undefined) return EXIT.OK;
    report(failure, json, error instanceof CommanderError);
    return failure.exitCode;
  }
}
