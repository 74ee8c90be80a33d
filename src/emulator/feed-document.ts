import type { StoredDocument } from './stored-document.ts';

/** A document as change-feed results carry it: the service adds `_lsn` there, and only there. */
export function feedDocumentJson(document: StoredDocument): string {
  return `${document.json.slice(0, -1)},"_lsn":${document.lsn}}`;
}
