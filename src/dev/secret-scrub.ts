/**
 * Masks what looks like a secret in a message meant for a log line or the dashboard: connection-string keys
 * (`SharedAccessKey=…`, `AccountKey=…`), SAS signatures (`sig=…`), bearer tokens and passwords in URLs. Errors from
 * client libraries sometimes quote the configuration they failed with.
 */
export function scrubSecrets(text: string): string {
  return text
    .replace(/\b(SharedAccessKey|AccountKey|SharedAccessSignature|Password|pwd)=([^;&\s"']+)/gi, '$1=***')
    .replace(/\bsig=([^&\s"']+)/gi, 'sig=***')
    .replace(/\bBearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer ***')
    .replace(/(\w+:\/\/[^:/\s]+:)[^@\s]+@/g, '$1***@');
}
