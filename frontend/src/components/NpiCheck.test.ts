import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import NpiCheck from './NpiCheck.svelte';
import type { NpiCheck as Check } from '../api';

const record = {
  npi: '1234567893',
  organization: false,
  first: 'Ana',
  middle: 'M',
  last: 'Lima',
  credential: 'LCSW',
  active: true,
  taxonomies: [{ code: '1041C0700X', desc: 'Social Worker, Clinical', state: 'OR', license: 'L1234', primary: true }],
  location: { Line1: '100 Main St', Line2: 'Suite 200', City: 'Portland', State: 'OR', ZIP: '97204', Phone: '503-555-0100' },
  mailing: { Line1: 'PO Box 12', Line2: '', City: 'Portland', State: 'OR', ZIP: '97201', Phone: '' },
};

describe('NpiCheck', () => {
  it('shows the registry record and each finding as text, politely announced', () => {
    const check = { npi: '1234567893', record, findings: [{ code: 'name', message: 'The registry’s name for this NPI is <b>Ana</b> Lima.' }] } as unknown as Check;
    const { container } = render(NpiCheck, { id: 'npi-check-npi', check });
    const box = container.querySelector('#npi-check-npi') as HTMLElement;
    expect(box.getAttribute('aria-live')).toBe('polite');
    expect(box.textContent).toContain('Ana M Lima, LCSW · Social Worker, Clinical (OR L1234) · Portland, OR');
    expect(box.querySelector('[data-finding="name"]')?.textContent).toContain('<b>Ana</b>');
    expect(box.querySelector('b')).toBeNull();
    const more = box.querySelector('#npi-check-npi-more') as HTMLElement;
    expect(more.textContent).toContain('Practice location100 Main St, Suite 200, Portland, OR 97204 · 503-555-0100');
    expect(more.textContent).toContain('Mailing addressPO Box 12, Portland, OR 97201');
    expect(more.textContent).toContain('OR license L1234 · Social Worker, Clinical (primary)');
  });

  it('says quietly that the check could not run', () => {
    const check = { npi: '1234567893', findings: [], note: 'The NPI Registry could not be checked just now. The form works without it.' } as unknown as Check;
    const { container } = render(NpiCheck, { id: 'npi-check-npi', check });
    expect(container.querySelector('.hint')?.textContent).toContain('could not be checked');
    expect(container.querySelector('.npi-findings')).toBeNull();
  });

  it('fills empty license fields on the provider\'s click, once, and says what', async () => {
    const check = { npi: '1234567893', record, findings: [] } as unknown as Check;
    let calls = 0;
    const { container } = render(NpiCheck, { id: 'npi-check-npi', check, onfill: () => (calls++, ['OR license L1234']) });
    const button = container.querySelector('#npi-check-npi-fill') as HTMLButtonElement;
    button.click();
    await Promise.resolve();
    expect(calls).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(container.querySelector('#npi-check-npi-filled')?.textContent).toContain('OR license L1234');
    expect(container.querySelector('#npi-check-npi-fill')).toBeNull();
  });
});
