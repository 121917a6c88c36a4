// SPDX-License-Identifier: Apache-2.0
// The shared configuration, plus: `eventsource` (a dependency of the MCP client SDK) also publishes
// a "source" export condition pointing at TypeScript, so vitest transforms it instead of handing
// it to Node.
import { mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(shared, {
  test: { server: { deps: { inline: [/@modelcontextprotocol\//, /eventsource/] } } },
});
