import { describe, expect, it } from 'vitest';
import { checkLabel, storedPasswordApplies, toValues } from './settings';

describe('settings', () => {
  const saved = toValues({ smtpHost: 'smtp.example.org', smtpUsername: 'clinic', smtpPort: '587' });

  it('edits every text field and nothing else', () => {
    expect(saved).toEqual({ intakeURL: '', smtpHost: 'smtp.example.org', smtpPort: '587', smtpUsername: 'clinic', mailFrom: '', supportEmail: '', credentialingEmail: '' });
  });
  it('keeps the stored password only for its relay and user name', () => {
    expect(storedPasswordApplies(true, saved, { ...saved })).toBe(true);
    expect(storedPasswordApplies(true, saved, { ...saved, smtpHost: ' SMTP.example.org ' })).toBe(true);
    expect(storedPasswordApplies(true, saved, { ...saved, smtpPort: '2525' })).toBe(true);
    expect(storedPasswordApplies(true, saved, { ...saved, smtpHost: 'smtp.other.org' })).toBe(false);
    expect(storedPasswordApplies(true, saved, { ...saved, smtpUsername: 'someone' })).toBe(false);
    expect(storedPasswordApplies(true, saved, { ...saved, smtpHost: '' })).toBe(false);
    expect(storedPasswordApplies(false, saved, { ...saved })).toBe(false);
  });
  it('names each check result', () => {
    expect(checkLabel('ok')).toBe('Works');
    expect(checkLabel('failed')).toBe('Problem');
    expect(checkLabel('skipped')).toBe('Not tried');
  });
});
