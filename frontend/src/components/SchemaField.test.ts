import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { forms } from '../../wailsjs/go/models';
import SchemaField from './SchemaField.svelte';

const perClaim = forms.Field.createFrom({
  name: 'perClaim',
  label: 'Coverage per claim (USD)',
  type: 'money',
  check: 'perClaim',
  required: true,
  placeholder: '1000000',
});

describe('SchemaField money', () => {
  it('shows stored digits as dollars', () => {
    render(SchemaField, { field: perClaim, path: 'perClaim', value: '1000000', readonly: true, onchange: () => {}, onblur: () => {} });
    const input = screen.getByLabelText(/Coverage per claim/) as HTMLInputElement;
    expect(input.value).toBe('$1,000,000');
    // Required, for a screen reader too (the asterisk is hidden from it).
    expect(input.getAttribute('aria-required')).toBe('true');
  });

  it('takes an amount typed with $ and commas and hands Go digits on leaving', async () => {
    const onchange = vi.fn();
    const onblur = vi.fn();
    render(SchemaField, { field: perClaim, path: 'perClaim', value: '', readonly: false, onchange, onblur });
    const input = screen.getByLabelText(/Coverage per claim/) as HTMLInputElement;
    expect(input.placeholder).toBe('$1,000,000');
    await fireEvent.focus(input);
    await fireEvent.input(input, { target: { value: '$2,500,000' } });
    expect(onchange).toHaveBeenLastCalledWith('$2,500,000');
    expect(input.value).toBe('$2,500,000'); // nothing jumps while typing
    await fireEvent.blur(input);
    expect(onchange).toHaveBeenLastCalledWith('2500000');
    expect(onblur).toHaveBeenCalled();
  });

  it('leaves what is not an amount as typed, for its problem to point at', async () => {
    const onchange = vi.fn();
    render(SchemaField, { field: perClaim, path: 'perClaim', value: 'lots', readonly: false, onchange, onblur: () => {} });
    const input = screen.getByLabelText(/Coverage per claim/) as HTMLInputElement;
    expect(input.value).toBe('lots');
    await fireEvent.focus(input);
    await fireEvent.blur(input);
    expect(onchange).not.toHaveBeenCalled();
  });
});

describe('SchemaField problems', () => {
  const problem = { field: 'perClaim', code: 'required', message: 'This is required.', warning: false };
  it('announces a problem as it appears, and not when the form summary announces them all', () => {
    const { container, unmount } = render(SchemaField, { field: perClaim, path: 'perClaim', value: '', readonly: false, problem, onchange: () => {}, onblur: () => {} });
    expect(container.querySelector('#f-perClaim-msg')?.getAttribute('role')).toBe('alert');
    unmount();
    const quiet = render(SchemaField, { field: perClaim, path: 'perClaim', value: '', readonly: false, problem, announce: false, onchange: () => {}, onblur: () => {} });
    const msg = quiet.container.querySelector('#f-perClaim-msg');
    expect(msg?.getAttribute('role')).toBeNull();
    // Still read with the field.
    expect(quiet.container.querySelector('input')?.getAttribute('aria-describedby')).toContain('f-perClaim-msg');
  });
});
