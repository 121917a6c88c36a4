#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
// The installed `agent-passport` command (package.json "bin"); kept executable in git, so a build
// never has to change file modes. The command itself is dist/bin.js.
import '../dist/bin.js';
