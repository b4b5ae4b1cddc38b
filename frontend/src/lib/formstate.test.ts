import { describe, expect, it, vi } from 'vitest';
import { Autosaver, FORM_WIDE, addItem, fieldId, holds, moveItem, removeItem, splitChoices, splitProblems, toggleChoice, type FormData } from './formstate';

const data = (): FormData => ({ fields: {}, groups: { jobs: [{ n: 'a' }, { n: 'b' }, { n: 'c' }] } });

describe('conditions', () => {
  it('reads the scope or the context', () => {
    expect(holds({ field: 'kind', in: ['office'] }, { kind: 'office' }, {})).toBe(true);
    expect(holds({ field: 'kind', in: ['office'] }, { kind: ' telehealth ' }, {})).toBe(false);
    expect(holds({ field: '$licenseType', in: ['psych-np'] }, {}, { $licenseType: 'psych-np' })).toBe(true);
    expect(holds({ field: 'current', in: ['', 'no'] }, {}, {})).toBe(true);
    expect(holds(undefined, {}, {})).toBe(true);
  });
});

describe('problems', () => {
  it('sets the whole form\'s apart from the fields\'', () => {
    const unchanged = { field: FORM_WIDE, code: 'unchanged' };
    const npi = { field: 'npi', code: 'invalid' };
    expect(splitProblems([npi, unchanged])).toEqual({ fields: [npi], form: [unchanged] });
    expect(splitProblems([])).toEqual({ fields: [], form: [] });
  });
});

describe('repeating items', () => {
  it('adds, removes and moves', () => {
    const d = data();
    expect(addItem(d, 'jobs')).toBe(3);
    expect(addItem(d, 'new')).toBe(0);
    removeItem(d, 'jobs', 3);
    moveItem(d, 'jobs', 2, -1);
    expect(d.groups.jobs?.map((j) => j.n)).toEqual(['a', 'c', 'b']);
    moveItem(d, 'jobs', 0, -1);
    moveItem(d, 'jobs', 2, 1);
    expect(d.groups.jobs?.map((j) => j.n)).toEqual(['a', 'c', 'b']);
  });
  it('makes DOM ids from paths', () => {
    expect(fieldId('licenses.2.expires')).toBe('f-licenses-2-expires');
    expect(fieldId('npi')).toBe('f-npi');
  });
  it('toggles multi-choice values', () => {
    expect(toggleChoice('CA,OR', 'WA', true)).toBe('CA,OR,WA');
    expect(toggleChoice('CA,OR', 'CA', false)).toBe('OR');
    expect(splitChoices('')).toEqual([]);
  });
});

describe('Autosaver', () => {
  it('saves once, after typing stops', async () => {
    vi.useFakeTimers();
    const save = vi.fn(async (d: string) => `saved ${d}`);
    const a = new Autosaver<string>(save, () => {}, 400);
    a.schedule('J');
    await vi.advanceTimersByTimeAsync(200);
    a.schedule('Jo');
    await vi.advanceTimersByTimeAsync(200);
    a.schedule('Jos');
    expect(save).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(450);
    expect(save).toHaveBeenCalledTimes(1);
    expect(save).toHaveBeenCalledWith('Jos');
    expect(a.state).toBe('saved');
    vi.useRealTimers();
  });

  it('retries a failed save and never drops the data', async () => {
    vi.useFakeTimers();
    let fail = true;
    const saved: string[] = [];
    const a = new Autosaver<string>(async (d) => {
      if (fail) throw new Error('disk busy');
      saved.push(d);
      return 'ok';
    }, () => {}, 100, 1000);
    a.schedule('x');
    await vi.advanceTimersByTimeAsync(150);
    expect(a.state).toBe('error');
    fail = false;
    await vi.advanceTimersByTimeAsync(1100);
    expect(saved).toEqual(['x']);
    expect(a.state).toBe('saved');
    vi.useRealTimers();
  });

  it('flush saves what is pending now, and a change during a save is saved after it', async () => {
    const saved: string[] = [];
    let release: () => void = () => {};
    const a = new Autosaver<string>(async (d) => {
      if (d === 'first') await new Promise<void>((r) => (release = r));
      saved.push(d);
      return d;
    }, () => {}, 10_000);
    a.schedule('first');
    const f = a.flush();
    await Promise.resolve();
    a.schedule('second');
    release();
    await f;
    await a.flush();
    expect(saved).toEqual(['first', 'second']);
  });
});
