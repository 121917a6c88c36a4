#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// The `agent-passport` command (package.json "bin").
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
