// SPDX-License-Identifier: Apache-2.0

export type { AuditOptions, AuditProblem, AuditReport, AuditRow, Counts, Outcome } from './audit.js';
export { auditLog } from './audit.js';
export { CHAIN_SEPARATOR } from './audit-types.js';
export type { DocumentResult, DocumentsReport } from './documents.js';
export { auditDocuments } from './documents.js';
export type { EvidenceEntry, EvidenceEvent, LogHead, RequestRecord } from './entry.js';
export { ENTRY_VERSION, EVIDENCE_EVENTS, entryHash, GENESIS, PASSPORT_MARKER } from './entry.js';
export type { EventEvidence, EvidenceLog, EvidenceLogOptions, PresentationEvidence } from './log.js';
export { logFiles, openEvidenceLog } from './log.js';
export { renderHtmlReport } from './report-html.js';
