import { api, type AppStatus, type Dashboard } from '../api';
import { ProblemError } from '../api/problem';

/** The app's screen state: which screen to show and the dashboard's data. */
class AppStore {
  status = $state<AppStatus | null>(null);
  dashboard = $state<Dashboard | null>(null);
  loadError = $state<string | null>(null);
  /** The screen shown once the account is set up. */
  view = $state<'dashboard' | 'training' | 'form'>('dashboard');
  /** The long form open in the 'form' view. */
  formId = $state('');
  /** A short message for the toast region, e.g. a failed tick. */
  toast = $state<string | null>(null);

  async load(): Promise<void> {
    this.loadError = null;
    try {
      this.status = await api.status();
      if (this.status.state === 'ready') {
        this.dashboard = await api.dashboard();
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

  open(itemId: string): void {
    if (itemId === 'webinar' || itemId === 'quiz') this.view = 'training';
    if (itemId === 'general-form' || itemId === 'insurance-form') {
      this.formId = itemId === 'general-form' ? 'general' : 'credentialing';
      this.view = 'form';
    }
    window.scrollTo(0, 0);
  }

  async backToDashboard(): Promise<void> {
    this.view = 'dashboard';
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
