/** The stages of a packet export, in order, as the backend reports them. */
export const exportStages = [
  { id: 'start', label: 'Getting ready' },
  { id: 'pdf', label: 'Making the PDF' },
  { id: 'sign', label: 'Signing and packing the files' },
  { id: 'check', label: 'Checking the finished packet' },
] as const;

/** How far along an export is, 0–100, once the given stage has started. */
export function exportPercent(stage: string): number {
  const i = exportStages.findIndex((s) => s.id === stage);
  if (i < 0) return 0;
  return Math.round(((i + 1) / (exportStages.length + 1)) * 100);
}

/** A fingerprint as people compare it: the first 32 hex digits in groups of 4. */
export function shortFingerprint(hex: string): string {
  return (hex.slice(0, 32).match(/.{1,4}/g) ?? []).join(' ');
}

/** The file name offered in the save dialog. */
export function packetFileName(legalName: string, packetId: string): string {
  const name = legalName.replace(/[/\\:*?"<>|]/g, '-').trim();
  return `Credentialing packet - ${name || 'provider'} - ${packetId}`;
}
