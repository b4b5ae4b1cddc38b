import { describe, expect, it, vi } from 'vitest';
import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { attach, forms } from '../../wailsjs/go/models';

vi.mock('../api', () => ({
  api: {
    preview: vi.fn(async (hash: string) => ({ dataUrl: `data:image/png;base64,${hash}` })),
    attachFile: vi.fn(async (_form: string, _path: string, name: string) => ({
      file: { hash: 'c'.repeat(64), name, size: 4, type: 'application/pdf' },
    })),
    chooseFile: vi.fn(),
    openAttachment: vi.fn(),
  },
}));
const { api } = await import('../api');
const { default: FileField } = await import('./FileField.svelte');

const licenseCopy = forms.Field.createFrom({ name: 'document', label: 'State license', type: 'file', required: true });
const image = (hash: string, name: string) => attach.Info.createFrom({ hash, name, size: 746, type: 'image/png' });
const a = 'a'.repeat(64);
const b = 'b'.repeat(64);

describe('FileField', () => {
  // The picker once sat in the page as a "visually hidden" input that ".field input" widened to
  // 100% of the page, so every form scrolled sideways.
  it('keeps the browser file picker out of the layout', () => {
    const { container } = render(FileField, {
      formId: 'credentialing', field: licenseCopy, path: 'licenses.1.document', value: '', readonly: false, onattached: () => {},
    });
    const input = container.querySelector('input[type=file]') as HTMLInputElement;
    expect(input.hidden).toBe(true);
    expect(input.dataset.fileInput).toBe('licenses.1.document');
  });

  it('attaches a file to the license it is in, by its item path', async () => {
    const onattached = vi.fn();
    const { container } = render(FileField, {
      formId: 'credentialing', field: licenseCopy, path: 'licenses.1.document', value: '', readonly: false, onattached,
    });
    const input = container.querySelector('input[type=file]') as HTMLInputElement;
    const file = new File(['%PDF'], 'or-license.pdf', { type: 'application/pdf' });
    await fireEvent.change(input, { target: { files: [file] } });
    await waitFor(() => expect(onattached).toHaveBeenCalled());
    expect(api.attachFile).toHaveBeenCalledWith('credentialing', 'licenses.1.document', 'or-license.pdf', expect.any(String));
  });

  // When licenses are moved, the field at a position is handed another license's file: its
  // thumbnail must follow (it was loaded once, when the field appeared).
  it('shows the thumbnail of the file it holds now', async () => {
    const props = {
      formId: 'credentialing', field: licenseCopy, path: 'licenses.0.document',
      value: a, info: image(a, 'a.png'), readonly: false, onattached: () => {},
    };
    const { container, rerender } = render(FileField, props);
    const thumb = () => container.querySelector('img.thumb')?.getAttribute('src') ?? '';
    await waitFor(() => expect(thumb()).toContain(a));
    await rerender({ ...props, value: b, info: image(b, 'b.png') });
    await waitFor(() => expect(thumb()).toContain(b));
    expect(container.querySelector('.file-name')?.textContent).toBe('b.png');
  });
});
