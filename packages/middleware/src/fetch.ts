// SPDX-License-Identifier: Apache-2.0
// `@agent-passport/middleware/fetch`: wrap a fetch handler (Workers, Deno, Bun, Node adapters).
import { type AgentContext, type MiddlewareOptions, prepare, verifyFetchRequest } from './edge.js';

export type { AgentContext, MiddlewareOptions } from './edge.js';

/** Wrap a fetch handler (`(request) => Response`): it runs only for verified agents. */
export function withAgentPassport(
  options: MiddlewareOptions,
  handler: (request: Request, context: AgentContext) => Response | Promise<Response>,
): (request: Request) => Promise<Response> {
  const edge = prepare(options);
  return async function agentPassportFetchHandler(received) {
    const v = await verifyFetchRequest(edge, received);
    return 'refused' in v ? v.refused : handler(v.request, v.context);
  };
}
