export {
  type AuditEntry,
  type AuditEvent,
  listEntityAudit,
  listRecentAudit,
  recordAudit,
  recordAuditMany,
} from './audit.ts';
export {
  type CompanyIdentity,
  checkCompanyIdentity,
  companyContact,
  companyIdentity,
  configuredCompanyName,
} from './company.ts';
export { type DocumentStore, fileSystemStore } from './document-store.ts';
export {
  type DocumentRow,
  discardMadeDocuments,
  documentContent,
  getDocument,
  getDocuments,
  listEntityDocuments,
  type MadeDocument,
  openDocumentContent,
  putMadeDocuments,
  recordMadeDocuments,
  type StoredMadeDocument,
  sniffMediaType,
  uploadDocument,
} from './documents.ts';
export { type EntityResolver, entityTypes, registerEntityType, resolveEntity } from './entities.ts';
export { type AccountNames, exportGrid, type GridExport, gridExportInput } from './grid-export.ts';
export {
  defineJob,
  enqueue,
  type JobContext,
  type JobDefinition,
  type Jobs,
  jobDefinitions,
  startJobs,
} from './jobs.ts';
export { groupedAmount, type PdfSection, type SheetsPdfHead, sheetsPdf } from './pdf-sheets.ts';
export { mapInFlight, type Renderer, renderThreads, withRenderer } from './render-pool.ts';
