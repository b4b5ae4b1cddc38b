import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/svelte';
import BioPreview from './BioPreview.svelte';

// The preview once joined the preferred name to the legal name's last word: "An An" for
// Nguyễn Văn An called An, "芳 王芳" for 王芳 called 芳.
describe('BioPreview', () => {
  const cases: { legalName: string; preferredName: string; directoryName: string; shown: string }[] = [
    { legalName: 'Nguyễn Văn An', preferredName: 'An', directoryName: 'An Nguyễn', shown: 'An Nguyễn, LCSW' },
    { legalName: '王芳', preferredName: '芳', directoryName: '王芳', shown: '王芳, LCSW' },
    { legalName: 'María José García López', preferredName: 'Majo', directoryName: 'Majo García López', shown: 'Majo García López, LCSW' },
    { legalName: 'Madonna', preferredName: '', directoryName: ' Madonna ', shown: 'Madonna, LCSW' },
  ];
  for (const c of cases) {
    it(`shows the directory name as typed for ${c.legalName}`, () => {
      const { container } = render(BioPreview, { fields: { ...c, credentials: 'LCSW' }, labels: {} });
      expect(container.querySelector('.preview-name')?.textContent).toBe(c.shown);
      expect(container.querySelector('.avatar')?.textContent).toBe([...c.shown][0]);
    });
  }
  it('shows the legal name for a form submitted before the directory name existed', () => {
    const { container } = render(BioPreview, { fields: { legalName: 'Nguyễn Văn An', preferredName: 'An' }, labels: {} });
    expect(container.querySelector('.preview-name')?.textContent).toBe('Nguyễn Văn An');
  });
  it('says where the name will go while it is empty', () => {
    const { container } = render(BioPreview, { fields: { legalName: 'Nguyễn Văn An', directoryName: '' }, labels: {} });
    expect(container.querySelector('.preview-name')?.textContent).toBe('Your name');
  });
  it('shows what the directory lists: accepting new clients, offices, telehealth states and languages', () => {
    const { container } = render(BioPreview, {
      fields: { directoryName: 'An Nguyễn', acceptingNewClients: 'yes', languages: 'en,vi' },
      labels: {},
      languageLabels: { en: 'English', vi: 'Vietnamese' },
      locations: [
        { kind: 'office', street: '1 Main St', city: 'Portland', state: 'OR' },
        { kind: 'telehealth', state: 'OR' },
        { kind: 'telehealth', state: 'WA' },
      ],
    });
    const facts = [...container.querySelectorAll('.preview-facts li')].map((li) => li.textContent);
    expect(facts).toEqual(['Accepting new clients', 'Office in Portland, OR', 'Telehealth in OR, WA', 'Sessions in English, Vietnamese']);
  });
});
