import { api, type Policies } from '../api';

/**
 * The rules the screens state (portal password, help request limits, the
 * webinar's watched share and the quiz's pass mark), from Go: the frontend
 * never restates them. Null until loaded.
 */
class PolicyStore {
  current = $state<Policies | null>(null);
  private loading: Promise<void> | null = null;

  load(): Promise<void> {
    this.loading ??= api.policies().then(
      (p) => {
        this.current = p;
      },
      () => {
        this.loading = null; // try again next time
      },
    );
    return this.loading;
  }
}

export const policies = new PolicyStore();
