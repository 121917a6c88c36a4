// SPDX-License-Identifier: Apache-2.0
// Where a passphrase comes from: an environment variable or an interactive prompt, never a flag
// (a flag lands in shell history and `ps`).
import { PassportError } from '@agent-passport/core';

export const DEFAULT_PASSPHRASE_ENV = 'AGENT_PASSPORT_PASSPHRASE';
export const MIN_PASSPHRASE_LENGTH = 8;

export interface PassphraseOptions {
  /** Environment variable to read first (default AGENT_PASSPORT_PASSPHRASE). */
  readonly env?: string;
  /** An interactive prompt; the CLI passes one when stdin is a terminal. */
  readonly prompt?: (message: string) => Promise<string>;
  /** A new passphrase: prompt twice, and require the minimum length. */
  readonly confirm?: boolean;
  /** The environment to read (default process.env). */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

export async function readPassphrase(options: PassphraseOptions = {}): Promise<string> {
  const env = options.environment ?? process.env;
  let value = env[options.env ?? DEFAULT_PASSPHRASE_ENV];
  if (value === undefined || value === '') {
    if (options.prompt === undefined) {
      throw new PassportError(
        'ERR_KEYSTORE_PASSPHRASE_MISSING',
        `set ${options.env ?? DEFAULT_PASSPHRASE_ENV} or run on a terminal`,
      );
    }
    value = await options.prompt('Passphrase');
    if (options.confirm === true && (await options.prompt('Repeat the passphrase')) !== value) {
      throw new PassportError('ERR_KEYSTORE_PASSPHRASE_MISMATCH');
    }
  }
  if (options.confirm === true && value.length < MIN_PASSPHRASE_LENGTH)
    throw new PassportError('ERR_KEYSTORE_PASSPHRASE_WEAK');
  if (value === '') throw new PassportError('ERR_KEYSTORE_PASSPHRASE_MISSING');
  return value;
}
