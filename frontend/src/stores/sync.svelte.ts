import { api, type OutboxEntry, type SyncReport } from '../api';
import { ProblemError } from '../api/problem';

/** Connection to the network's server: the last sync and the outbox. */
class SyncStore {
  report = $state<SyncReport | null>(null);
  items = $state<OutboxEntry[]>([]);
  syncing = $state(false);
  panelOpen = $state(false);
  error = $state<string | null>(null);
  /** Called after each sync so screens can refresh (the dashboard). */
  onSynced: (() => void) | null = null;

  get pending(): number {
    return this.items.filter((i) => i.state === 'queued' || i.state === 'sending').length;
  }

  get failed(): number {
    return this.items.filter((i) => i.state === 'failed').length;
  }

  async start(): Promise<void> {
    api.onSync((r) => {
      this.report = r;
      void this.refresh();
      this.onSynced?.();
    });
    try {
      this.report = await api.lastSync();
    } catch {
      // Shown as not connected.
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.items = await api.outbox();
    } catch {
      // The list stays as it was.
    }
  }

  async syncNow(): Promise<void> {
    this.syncing = true;
    this.error = null;
    try {
      this.report = await api.syncNow();
      await this.refresh();
      this.onSynced?.();
    } catch (err) {
      this.error = err instanceof ProblemError ? err.problem.message : String(err);
    } finally {
      this.syncing = false;
    }
  }

  async retry(id: number): Promise<void> {
    await api.retryOutboxItem(id);
    await this.refresh();
  }
}

export const sync = new SyncStore();
