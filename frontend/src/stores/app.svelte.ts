import { api, type AppStatus, type Dashboard } from '../api';
import { ProblemError } from '../api/problem';

/** The app's screen state: which screen to show and the dashboard's data. */
class AppStore {
  status = $state<AppStatus | null>(null);
  dashboard = $state<Dashboard | null>(null);
  loadError = $state<string | null>(null);
  /** The screen shown once the account is set up. */
  view = $state<'dashboard' | 'training' | 'form' | 'portal' | 'packet-export' | 'packet-open' | 'settings' | 'directories'>('dashboard');
  /** Where "Open packet…" returns to. */
  beforePacket: 'dashboard' | 'training' | 'form' | 'portal' | 'packet-export' | 'settings' | 'directories' = 'dashboard';
  /** Where Settings returns to. */
  beforeSettings: 'dashboard' | 'training' | 'form' | 'portal' | 'packet-export' | 'packet-open' | 'directories' = 'dashboard';
  /** The long form open in the 'form' view. */
  formId = $state('');
  /** The field to return to when the form view opens (from the last session). */
  resumeField = $state('');
  /** A short message for the toast region, e.g. a failed tick. */
  toast = $state<string | null>(null);

  async load(): Promise<void> {
    this.loadError = null;
    try {
      this.status = await api.status();
      if (this.status.state === 'ready') {
        // Both at once, and shown together: the dashboard never shows
        // before the place is known, so a click on it is never undone by
        // the place arriving late.
        const [dashboard, place] = await Promise.all([api.dashboard(), this.lastPlace()]);
        this.restorePlace(place);
        this.dashboard = dashboard;
      }
    } catch (err) {
      this.loadError = err instanceof ProblemError ? err.problem.message : String(err);
    }
  }

  async startFresh(): Promise<void> {
    this.status = await api.startFresh();
  }

  async setChecked(item: string, done: boolean): Promise<void> {
    try {
      this.dashboard = await api.setChecked(item, done);
    } catch (err) {
      this.showToast(err instanceof ProblemError ? err.problem.message : String(err));
    }
  }

  async refreshDashboard(): Promise<void> {
    try {
      this.dashboard = await api.dashboard();
    } catch (err) {
      this.showToast(err instanceof ProblemError ? err.problem.message : String(err));
    }
  }

  /** Where the provider was when the app last closed ('' if unknown). */
  private async lastPlace(): Promise<string> {
    try {
      return await api.place();
    } catch {
      return ''; // Start on the dashboard.
    }
  }

  /** Returns to a place as lastPlace gives it. */
  private restorePlace(place: string): void {
    const [where, field] = place.split('#');
    if (where === 'training') this.view = 'training';
    if (where?.startsWith('form:')) {
      this.formId = where.slice(5);
      this.resumeField = field ?? '';
      this.view = 'form';
    }
  }

  /** The last place sent to Go: each waits for the one before, so they are kept in order. */
  private placeSent: Promise<unknown> = Promise.resolve();

  /** Remembers where the provider is (the view, and in a form the field). */
  remember(field = ''): void {
    const where = this.view === 'form' ? `form:${this.formId}` : this.view === 'training' ? 'training' : 'dashboard';
    const place = field ? `${where}#${field}` : where;
    this.placeSent = this.placeSent.then(() => api.setPlace(place)).catch(() => {});
  }

  /** Support's read-only packet view, from anywhere. */
  openPacket(): void {
    if (this.view !== 'packet-open') this.beforePacket = this.view;
    this.view = 'packet-open';
  }

  closePacket(): void {
    this.view = this.beforePacket;
  }

  /** The connection settings, from anywhere. */
  openSettings(): void {
    if (this.view !== 'settings') this.beforeSettings = this.view;
    this.view = 'settings';
  }

  closeSettings(): void {
    this.view = this.beforeSettings;
  }

  open(itemId: string): void {
    if (itemId === 'webinar' || itemId === 'quiz') this.view = 'training';
    if (itemId === 'portal-password') this.view = 'portal';
    if (itemId === 'directories') this.view = 'directories';
    if (itemId === 'general-form' || itemId === 'insurance-form') {
      this.formId = itemId === 'general-form' ? 'general' : 'credentialing';
      this.resumeField = '';
      this.view = 'form';
    }
    this.remember();
    window.scrollTo(0, 0);
  }

  async backToDashboard(): Promise<void> {
    this.view = 'dashboard';
    this.remember();
    await this.refreshDashboard();
  }

  showToast(message: string): void {
    this.toast = message;
    setTimeout(() => {
      if (this.toast === message) this.toast = null;
    }, 6000);
  }
}

export const app = new AppStore();
