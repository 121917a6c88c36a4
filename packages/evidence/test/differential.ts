// SPDX-License-Identifier: Apache-2.0
// The audit's fast path held to its reference path (issue 22): every log these tests audit (intact,
// tampered, replayed, hostile) is audited both ways, and the two reports must be identical: the
// same verdict, code and message for every entry, the same totals and problems. The reference runs
// in this thread whatever the fast audit was asked, so thread and worker results are compared too.
import { expect } from 'vitest';
import { auditLogByReference } from '../src/audit.js';
import { type AuditOptions, type AuditReport, auditLog as fastAudit } from '../src/index.js';

export async function auditLog(path: string, options: AuditOptions): Promise<AuditReport> {
  const fast = await fastAudit(path, options);
  const { onProgress: _, ...rest } = options;
  const reference = await auditLogByReference(path, { ...rest, workers: 0 });
  expect(fast, `the fast and the reference audit of ${path} differ`).toEqual(reference);
  return fast;
}
