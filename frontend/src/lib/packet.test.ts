import { describe, expect, it } from 'vitest';
import { exportPercent, packetFileName, shortFingerprint } from './packet';

describe('packet helpers', () => {
  it('reports export progress in order and never 100 before done', () => {
    const seen = ['start', 'pdf', 'sign', 'check'].map(exportPercent);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(Math.max(...seen)).toBeLessThan(100);
    expect(exportPercent('unknown')).toBe(0);
  });
  it('groups a fingerprint for reading aloud', () => {
    expect(shortFingerprint('0123456789abcdef0123456789abcdef99999999')).toBe('0123 4567 89ab cdef 0123 4567 89ab cdef');
  });
  it('suggests a file name without path characters', () => {
    expect(packetFileName('Zoë Łukasiewicz/Núñez', 'PKT-AB12-CD34')).toBe('Credentialing packet - Zoë Łukasiewicz-Núñez - PKT-AB12-CD34');
    expect(packetFileName('  ', 'PKT-1')).toBe('Credentialing packet - provider - PKT-1');
  });
});
