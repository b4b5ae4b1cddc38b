import { describe, expect, it } from 'vitest';
import { canFillLicenses, fillLicenses } from './npifill';
import type { FormData } from './formstate';

const registry = {
  credential: 'LCSW',
  taxonomies: [
    { state: 'OR', license: 'L1234' },
    { state: 'wa', license: 'LW60001' },
    { state: 'CA', license: '' },
  ],
};

describe('fillLicenses', () => {
  it('fills the empty license first, then adds one, and never overwrites', () => {
    const data: FormData = { fields: {}, groups: { licenses: [{ state: '', number: '', type: '', expires: '2028-01-31' }] } };
    expect(fillLicenses(data, registry)).toEqual(['OR license L1234', 'WA license LW60001']);
    expect(data.groups['licenses']).toEqual([
      { state: 'OR', number: 'L1234', type: 'LCSW', expires: '2028-01-31' },
      { state: 'WA', number: 'LW60001', type: 'LCSW' },
    ]);
    // Again: everything is there already.
    expect(canFillLicenses(data, registry)).toBe(false);
    expect(fillLicenses(data, registry)).toEqual([]);
  });

  it('keeps what the provider typed and adds only what is missing', () => {
    const data: FormData = { fields: {}, groups: { licenses: [{ state: 'OR', number: 'l1234', type: 'Clinical social worker' }] } };
    expect(canFillLicenses(data, registry)).toBe(true);
    expect(data.groups['licenses']).toHaveLength(1);
    expect(fillLicenses(data, registry)).toEqual(['WA license LW60001']);
    expect(data.groups['licenses']?.[0]).toEqual({ state: 'OR', number: 'l1234', type: 'Clinical social worker' });
  });
});
