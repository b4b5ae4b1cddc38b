import { api, type DirectoriesView } from '../api';
import { ProblemError } from '../api/problem';

/** Insurance & Directories: the network's payers and programs and the provider's requests. */
class DirectoriesStore {
  view = $state<DirectoriesView | null>(null);
  error = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.view = await api.directories();
      this.error = null;
    } catch (err) {
      this.error = err instanceof ProblemError ? err.problem.message : String(err);
    }
  }

  /** Queues a request; returns the problem in plain words, or null when it is queued. */
  async ask(kind: string, target: string, reason: string): Promise<{ field: string; message: string } | null> {
    try {
      const p = await api.askDirectories(kind, target, reason);
      if (p) return { field: p.field, message: p.message };
    } catch (err) {
      return { field: '', message: err instanceof ProblemError ? err.problem.message : String(err) };
    }
    await this.load();
    return null;
  }
}

export const directories = new DirectoriesStore();
