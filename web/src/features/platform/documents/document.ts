/** A stored file (kept once by content hash) as filed against an account or case. */
export interface StoredDocument {
  document_id: string;
  account_id: string | null;
  file_name: string;
  media_type: string;
  size_bytes: number | string;
  sha256: string;
  document_type: string | null;
  uploaded_by: string | null;
  uploaded_at: string;
}

/** Suggestions only; any type the user types is kept. */
export const documentTypes = [
  'Contract',
  'Tax-exempt certificate',
  'Bank letter',
  'Proof of performance',
  'Invoice copy',
  'Remittance advice',
  'Correspondence',
  'Other',
];

export function contentUrl(document: Pick<StoredDocument, 'document_id'>): string {
  return `/api/documents/${encodeURIComponent(document.document_id)}/content`;
}

const units = ['bytes', 'KB', 'MB', 'GB'];

/** 1536 → '1.5 KB'. */
export function formatSize(bytes: number | string): string {
  let size = Number(bytes);
  if (!Number.isFinite(size)) return String(bytes);
  let unit = 0;
  while (size >= 1024 && unit < units.length - 1) {
    size /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${size} bytes` : `${size.toFixed(size < 10 ? 1 : 0)} ${units[unit]}`;
}
