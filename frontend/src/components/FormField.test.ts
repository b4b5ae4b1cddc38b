import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { schemaField } from '../api';
import FormField from './FormField.svelte';

const emailField = schemaField({
  name: 'email',
  label: 'Email',
  type: 'email',
  required: true,
  help: 'Where receipts go.',
  placeholder: 'name@example.org',
  maxLength: 254,
});

describe('FormField', () => {
  it('labels the input and ties the hint and the problem to it', () => {
    render(FormField, {
      field: emailField,
      value: 'zoe@',
      problem: 'The part after the @ needs a dot.',
      onchange: () => {},
      onblur: () => {},
    });
    const input = screen.getByLabelText(/Email/);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const described = (input.getAttribute('aria-describedby') ?? '').split(' ');
    expect(described).toContain('field-email-help');
    expect(described).toContain('field-email-error');
    expect(screen.getByRole('alert').textContent).toBe('The part after the @ needs a dot.');
  });

  it('reports typing and leaving the field', async () => {
    const onchange = vi.fn();
    const onblur = vi.fn();
    render(FormField, { field: emailField, value: '', onchange, onblur });
    const input = screen.getByLabelText(/Email/);
    await fireEvent.input(input, { target: { value: 'a@b.org' } });
    await fireEvent.blur(input);
    expect(onchange).toHaveBeenCalledWith('a@b.org');
    expect(onblur).toHaveBeenCalled();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('renders a select with its options from the schema', () => {
    render(FormField, {
      field: schemaField({
        name: 'licenseType',
        label: 'License type',
        type: 'select',
        required: true,
        options: [
          { value: 'lcsw', label: 'LCSW' },
          { value: 'lmft', label: 'LMFT' },
        ],
      }),
      value: '',
      onchange: () => {},
      onblur: () => {},
    });
    const select = screen.getByLabelText(/License type/) as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.value)).toEqual(['', 'lcsw', 'lmft']);
  });
});
