import { api, type HelpArticle, type HelpResult, type HelpSummary } from '../api';
import { ProblemError } from '../api/problem';

/** The help drawer: the index, a search, and the article being read. */
class HelpStore {
  open = $state(false);
  query = $state('');
  index = $state<HelpSummary[]>([]);
  results = $state<HelpResult[] | null>(null);
  article = $state<HelpArticle | null>(null);
  error = $state<string | null>(null);
  /** The "Contact support" form's fields, kept here so a screen can fill them in. */
  subject = $state('');
  message = $state('');
  /** Set when a screen asks for the support form: the drawer then puts focus in it. */
  focusContact = false;
  /** The support form was filled in by a screen: the drawer shows it first, saying so. */
  prefilled = $state(false);
  /** Called after an article is opened, so the dashboard can refresh "read" items. */
  onRead: (() => void) | null = null;

  async show(articleId?: string): Promise<void> {
    this.open = true;
    if (this.index.length === 0) {
      try {
        this.index = await api.helpIndex();
      } catch (err) {
        this.error = message(err);
      }
    }
    if (articleId) await this.read(articleId);
    else this.article = null;
  }

  /**
   * Opens the drawer at "Contact support" with the subject and message filled
   * in (the step and the dates the dashboard knows), for the provider to
   * read, change and send.
   */
  async contact(req: { subject: string; message: string }): Promise<void> {
    this.query = '';
    this.results = null;
    this.article = null;
    this.subject = req.subject;
    this.message = req.message;
    this.focusContact = true;
    this.prefilled = true;
    await this.show();
  }

  close(): void {
    this.open = false;
    this.prefilled = false;
  }

  async read(id: string): Promise<void> {
    this.error = null;
    try {
      this.article = await api.helpArticle(id);
      this.onRead?.();
    } catch (err) {
      this.error = message(err);
    }
  }

  back(): void {
    this.article = null;
  }

  async search(q: string): Promise<void> {
    this.query = q;
    this.article = null;
    if (q.trim() === '') {
      this.results = null;
      return;
    }
    try {
      const found = await api.searchHelp(q);
      if (this.query === q) this.results = found;
    } catch (err) {
      this.error = message(err);
    }
  }
}

function message(err: unknown): string {
  return err instanceof ProblemError ? err.problem.message : String(err);
}

export const help = new HelpStore();
