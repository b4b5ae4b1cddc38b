/** The largest upload, as the Go side enforces it. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/** "812 KB", "3.4 MB" */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** In the desktop window (not a browser on the dev server), files come from the native dialog. */
export function isDesktop(): boolean {
  const w = window as unknown as { webkit?: { messageHandlers?: { external?: unknown } }; chrome?: { webview?: unknown } };
  return !!(w.webkit?.messageHandlers?.external || w.chrome?.webview);
}

/** A file's bytes as base64, for the Go side to check and store. */
export function readBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.onload = () => {
      const url = String(r.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.readAsDataURL(file);
  });
}
