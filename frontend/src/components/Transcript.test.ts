import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render } from '@testing-library/svelte';
import Transcript from './Transcript.svelte';
import type { TranscriptSection } from '../api';

const sections = [
  {
    title: 'Insurance Program Training',
    sentences: [
      { start: 0, end: 3.143, text: 'Welcome to the insurance program training.' },
      { start: 3.143, end: 13.246, text: 'In the next few minutes you will learn when you can see insurance clients.' },
    ],
  },
  { title: 'Claims', sentences: [{ start: 19.007, end: 23.07, text: 'You do not file claims yourself.' }] },
] as TranscriptSection[];

describe('Transcript', () => {
  it('lists the narration under each slide title, marks the sentence being said, and goes to a sentence', async () => {
    const onseek = vi.fn();
    const { container } = render(Transcript, { sections, current: 5, onseek });
    const details = container.querySelector('details#transcript') as HTMLDetailsElement;
    expect(details.open).toBe(false);
    expect(details.querySelector('summary')?.textContent).toBe('Transcript');
    expect([...container.querySelectorAll('h3')].map((h) => h.textContent)).toEqual(['Insurance Program Training', 'Claims']);
    const sentences = [...container.querySelectorAll<HTMLButtonElement>('button.sentence')];
    expect(sentences.map((b) => b.textContent)).toEqual(sections.flatMap((s) => s.sentences.map((x) => x.text)));
    expect(sentences.map((b) => b.getAttribute('aria-current'))).toEqual([null, 'true', null]);

    await fireEvent.click(sentences[2]!);
    expect(onseek).toHaveBeenCalledWith(19.007);
  });
});
