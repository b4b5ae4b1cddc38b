import { describe, expect, it } from 'vitest';
import { fileSize, isDesktop, readBase64 } from './files';

describe('files', () => {
  it('writes sizes in plain units', () => {
    expect(fileSize(512)).toBe('512 bytes');
    expect(fileSize(812 * 1024)).toBe('812 KB');
    expect(fileSize(50 * 1024 * 1024)).toBe('50.0 MB');
  });
  it('reads a file as base64', async () => {
    expect(await readBase64(new Blob(['%PDF-1.4']))).toBe(btoa('%PDF-1.4'));
  });
  it('knows a plain browser is not the desktop window', () => {
    expect(isDesktop()).toBe(false);
  });
});
