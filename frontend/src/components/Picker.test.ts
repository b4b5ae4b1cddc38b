import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { forms } from '../../wailsjs/go/models';
import { filterOptions } from '../lib/pick';
import Picker from './Picker.svelte';
import SchemaField from './SchemaField.svelte';
import FormField from './FormField.svelte';

// The first states of backend/forms.USStates, and a few more, in its order.
const states = [
  ['AL', 'Alabama'],
  ['AK', 'Alaska'],
  ['AZ', 'Arizona'],
  ['CA', 'California'],
  ['CO', 'Colorado'],
  ['NY', 'New York'],
  ['NC', 'North Carolina'],
  ['OR', 'Oregon'],
  ['SC', 'South Carolina'],
  ['WY', 'Wyoming'],
  ['PR', 'Puerto Rico'],
  ['VI', 'U.S. Virgin Islands'],
].map(([value, label]) => ({ value: value!, label: label! }));

function labels(query: string, options = states): string[] {
  return filterOptions(options, query).map((o) => o.label);
}

describe('filterOptions', () => {
  it('finds an option by its value or the start of any word of its label, best first', () => {
    expect(labels('CA')).toEqual(['California', 'North Carolina', 'South Carolina']);
    expect(labels('calif')).toEqual(['California']);
    expect(labels('ca')[0]).toBe('California');
    expect(labels('york')).toEqual(['New York']);
    expect(labels('new y')).toEqual(['New York']);
    expect(labels('ork')).toEqual([]);
    expect(labels('virgin')).toEqual(['U.S. Virgin Islands']);
    expect(labels('')).toHaveLength(states.length);
  });

  it('ignores case and accents on either side', () => {
    const langs = [
      { value: 'fr', label: 'Français' },
      { value: 'vi', label: 'Tiếng Việt' },
      { value: 'en', label: 'English' },
    ];
    expect(labels('francais', langs)).toEqual(['Français']);
    expect(labels('FRANÇ', langs)).toEqual(['Français']);
    expect(labels('viet', langs)).toEqual(['Tiếng Việt']);
    expect(labels('  EN ', langs)).toEqual(['English']);
  });
});

// Rendered as a form holds it: what the picker hands back becomes its value.
function renderPicker(props: { value?: string; multiple?: boolean; readonly?: boolean } = {}) {
  const onchange = vi.fn((v: string) => void view.rerender({ value: v }));
  const onblur = vi.fn();
  const view = render(Picker, {
    id: 'f-state',
    label: 'State',
    labelId: 'f-state-label',
    options: states,
    value: props.value ?? '',
    multiple: props.multiple ?? false,
    readonly: props.readonly ?? false,
    onchange,
    onblur,
  });
  const input = view.container.querySelector('#f-state') as HTMLInputElement;
  const list = view.container.querySelector('[role="listbox"]') as HTMLElement;
  // The option aria-activedescendant points at, by its text (without a multiple picker's tick).
  const active = (): string => {
    const id = input.getAttribute('aria-activedescendant');
    return id ? (document.getElementById(id)?.textContent?.replace('✓', '').trim() ?? '') : '';
  };
  const live = (): string => view.container.querySelector('[aria-live="polite"]')?.textContent ?? '';
  const key = (k: string, init: KeyboardEventInit = {}) => fireEvent.keyDown(input, { key: k, ...init });
  const type = (text: string) => fireEvent.input(input, { target: { value: text } });
  return { ...view, onchange, onblur, input, list, active, live, key, type };
}

describe('Picker, one choice', () => {
  it('is a combobox that controls a listbox, closed until asked', async () => {
    const { input, list, key, active } = renderPicker({ value: 'OR' });
    expect(input.getAttribute('role')).toBe('combobox');
    expect(input.getAttribute('aria-controls')).toBe(list.id);
    expect(list.getAttribute('aria-labelledby')).toBe('f-state-label');
    expect(input.value).toBe('Oregon');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(list.hidden).toBe(true);
    expect(input.hasAttribute('aria-activedescendant')).toBe(false);

    // Down opens on the current choice.
    await key('ArrowDown');
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(list.hidden).toBe(false);
    expect(active()).toBe('Oregon');
    expect(list.querySelectorAll('[role="option"]')).toHaveLength(states.length);
    expect(list.querySelector('[aria-selected="true"]')?.textContent?.trim()).toBe('Oregon');
  });

  it('moves with the arrows, Home and End, and chooses with Enter', async () => {
    const { input, key, active, onchange } = renderPicker();
    await key('ArrowDown');
    expect(active()).toBe('Alabama');
    await key('ArrowDown');
    await key('ArrowDown');
    expect(active()).toBe('Arizona');
    await key('ArrowUp');
    expect(active()).toBe('Alaska');
    await key('End');
    expect(active()).toBe('U.S. Virgin Islands');
    await key('ArrowDown'); // stays at the end
    expect(active()).toBe('U.S. Virgin Islands');
    await key('Home');
    expect(active()).toBe('Alabama');
    await key('ArrowDown');
    await key('Enter');
    expect(onchange).toHaveBeenLastCalledWith('AK');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    // The keypress of the Enter that chose does not submit the form; the next one, list closed, does.
    expect(await fireEvent.keyPress(input, { key: 'Enter', charCode: 13 })).toBe(false);
    await key('Enter');
    expect(await fireEvent.keyPress(input, { key: 'Enter', charCode: 13 })).toBe(true);
  });

  it('filters as the provider types; Enter takes the best match', async () => {
    const { input, list, type, key, active, onchange } = renderPicker();
    await type('calif');
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect([...list.querySelectorAll('[role="option"]')].map((o) => o.textContent?.trim())).toEqual(['California']);
    expect(active()).toBe('California');
    await key('Enter');
    expect(onchange).toHaveBeenLastCalledWith('CA');
    expect(input.value).toBe('California');

    await type('CA');
    expect(active()).toBe('California');
    await key('ArrowDown');
    expect(active()).toBe('North Carolina');
  });

  it('closes on Escape, and a second Escape clears the filter', async () => {
    const { input, type, key, onchange } = renderPicker({ value: 'CA' });
    await type('new');
    expect(input.getAttribute('aria-expanded')).toBe('true');
    await key('Escape');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(input.value).toBe('new');
    await key('Escape');
    expect(input.value).toBe('California');
    expect(onchange).not.toHaveBeenCalled();
  });

  it('types a space while filtering, and chooses with Space once the arrows are used', async () => {
    const { type, key, active, onchange } = renderPicker();
    await type('new');
    const space = await key(' ');
    expect(space).toBe(true); // not prevented: the space is typed
    expect(onchange).not.toHaveBeenCalled();
    await type('new y');
    await key('ArrowDown');
    expect(active()).toBe('New York');
    expect(await key(' ')).toBe(false);
    expect(onchange).toHaveBeenLastCalledWith('NY');
  });

  it('says when nothing matches, and leaves Tab alone', async () => {
    const { input, type, key, live, container } = renderPicker();
    await type('zz');
    expect(input.getAttribute('aria-expanded')).toBe('false');
    expect(live()).toContain('No state match “zz”');
    expect(container.querySelector('.picker-none')).not.toBeNull();
    expect(await key('Tab')).toBe(true);
  });

  it('takes an option typed in full on leaving, and clears an emptied one', async () => {
    const a = renderPicker();
    await a.type('oregon');
    await fireEvent.focusOut(a.input);
    expect(a.onchange).toHaveBeenLastCalledWith('OR');
    expect(a.onblur).toHaveBeenCalled();
    a.unmount();

    const b = renderPicker({ value: 'OR' });
    await b.type('');
    await fireEvent.focusOut(b.input);
    expect(b.onchange).toHaveBeenLastCalledWith('');
    b.unmount();

    const c = renderPicker({ value: 'OR' });
    await c.type('ore');
    await fireEvent.focusOut(c.input);
    expect(c.onchange).not.toHaveBeenCalled(); // a fragment chooses nothing
  });

  it('shows a submitted choice read-only, with no list', () => {
    const { container } = renderPicker({ value: 'CA,OR', multiple: true, readonly: true });
    const input = container.querySelector('#f-state') as HTMLInputElement;
    expect(input.readOnly).toBe(true);
    expect(input.value).toBe('California, Oregon');
    expect(container.querySelector('[role="listbox"]')).toBeNull();
    expect(container.querySelector('button')).toBeNull();
  });
});

describe('Picker, several choices', () => {
  it('ticks with Enter, keeps the list open and hands the form "a,b" as the checkboxes did', async () => {
    const { input, list, type, key, active, live, onchange } = renderPicker({ multiple: true });
    expect(list.getAttribute('aria-multiselectable')).toBe('true');
    await type('ca');
    await key('Enter');
    expect(onchange).toHaveBeenLastCalledWith('CA');
    expect(input.getAttribute('aria-expanded')).toBe('true');
    expect(input.value).toBe(''); // ready for the next one
    expect(active()).toBe('California');
    expect(live()).toBe('California added, 1 selected');

    await type('or');
    await key('Enter');
    expect(onchange).toHaveBeenLastCalledWith('CA,OR');
    await type('ny');
    await key('Enter');
    expect(onchange).toHaveBeenLastCalledWith('CA,OR,NY');
    expect(live()).toBe('New York added, 3 selected');
    expect([...list.querySelectorAll('[aria-selected="true"]')].map((o) => o.textContent?.trim())).toEqual(['✓ California', '✓ New York', '✓ Oregon']);

    // Enter on a ticked option unticks it.
    await type('oreg');
    await key('Enter');
    expect(onchange).toHaveBeenLastCalledWith('CA,NY');
    expect(live()).toBe('Oregon removed, 2 selected');

    // Space ticks once the arrows are used.
    await key('ArrowDown');
    expect(active()).toBe('South Carolina'); // the next after Oregon, where the list was
    await key(' ');
    expect(onchange).toHaveBeenLastCalledWith('CA,NY,SC');
  });

  it('shows each choice as a "Remove …" button, in the order chosen', async () => {
    const { container, onchange, live } = renderPicker({ value: 'OR,CA,NY', multiple: true });
    const chips = [...container.querySelectorAll('.picker-chips button')];
    expect(chips.map((b) => b.getAttribute('aria-label'))).toEqual(['Remove Oregon', 'Remove California', 'Remove New York']);
    expect(container.querySelector('.picker-chips')?.getAttribute('aria-label')).toBe('Chosen: State');

    await fireEvent.click(screen.getByRole('button', { name: 'Remove California' }));
    expect(onchange).toHaveBeenLastCalledWith('OR,NY');
    expect(live()).toBe('California removed, 2 selected');
    // Focus goes to the chip that took its place, not to the page.
    expect(document.activeElement?.getAttribute('aria-label')).toBe('Remove New York');

    // Delete on a chip removes it too.
    await fireEvent.keyDown(document.activeElement!, { key: 'Delete' });
    expect(onchange).toHaveBeenLastCalledWith('OR');
  });

  it('removes the last choice with Backspace in the empty input, and only then', async () => {
    const { key, type, onchange, live } = renderPicker({ value: 'CA,OR', multiple: true });
    await type('n');
    expect(await key('Backspace')).toBe(true); // deletes the typed letter
    expect(onchange).not.toHaveBeenCalled();
    await type('');
    expect(await key('Backspace')).toBe(false);
    expect(onchange).toHaveBeenLastCalledWith('CA');
    expect(live()).toBe('Oregon removed, 1 selected');
  });
});

describe('SchemaField with a long list', () => {
  const stateOptions = states.map((o) => forms.Option.createFrom(o));
  const licensed = forms.Field.createFrom({ name: 'statesLicensed', label: 'States you are licensed in', type: 'multiselect', required: true, options: stateOptions });
  const problem = { field: 'statesLicensed', code: 'required', message: 'Choose at least one.', warning: false };

  it('uses the picker, labelled, required and described as before', () => {
    render(SchemaField, { field: licensed, path: 'statesLicensed', value: 'CA', readonly: false, problem, onchange: () => {}, onblur: () => {} });
    const input = screen.getByRole('combobox', { name: /States you are licensed in/ });
    expect(input.getAttribute('role')).toBe('combobox');
    expect(input.id).toBe('f-statesLicensed');
    expect(input.getAttribute('aria-required')).toBe('true');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe('f-statesLicensed-msg');
    expect(input.getAttribute('data-value')).toBe('CA');
    expect(screen.queryAllByRole('checkbox')).toHaveLength(0);
  });

  it('keeps short lists as checkboxes and a native select', () => {
    const few = stateOptions.slice(0, 8);
    const populations = forms.Field.createFrom({ name: 'populations', label: 'Populations served', type: 'multiselect', options: few });
    const a = render(SchemaField, { field: populations, path: 'populations', value: 'AK', readonly: false, onchange: () => {}, onblur: () => {} });
    expect(a.container.querySelectorAll('input[type="checkbox"]')).toHaveLength(8);
    expect(a.container.querySelector('[role="combobox"]')).toBeNull();
    a.unmount();
    const kind = forms.Field.createFrom({ name: 'kind', label: 'Kind', type: 'select', options: few });
    const b = render(SchemaField, { field: kind, path: 'kind', value: '', readonly: false, onchange: () => {}, onblur: () => {} });
    expect(b.container.querySelector('select')).not.toBeNull();
  });

  it('hands the form the multiselect value format unchanged', async () => {
    const onchange = vi.fn();
    render(SchemaField, { field: licensed, path: 'statesLicensed', value: 'OR', readonly: false, onchange, onblur: () => {} });
    const input = screen.getByRole('combobox', { name: /States you are licensed in/ });
    await fireEvent.input(input, { target: { value: 'calif' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onchange).toHaveBeenLastCalledWith('OR,CA');
  });
});

describe('FormField with a long list', () => {
  it('uses the picker for a select of more than ten options, labelled as its select was', async () => {
    const onchange = vi.fn();
    const field = forms.Field.createFrom({ name: 'state', label: 'State', type: 'select', required: true, options: states });
    render(FormField, { field, value: '', problem: 'Choose your state.', onchange, onblur: () => {} });
    const input = screen.getByRole('combobox', { name: /State/ });
    expect(input.id).toBe('field-state');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe('field-state-error');
    await fireEvent.input(input, { target: { value: 'WY' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(onchange).toHaveBeenLastCalledWith('WY');
  });
});
