// The only importer of the generated Wails bindings.
import * as App from '../../wailsjs/go/main/App';
import { forms, webinar, type help, type journey, type main, type onboarding } from '../../wailsjs/go/models';
import { ProblemError, toProblem } from './problem';
import { EventsOn } from '../../wailsjs/runtime/runtime';

export type Form = forms.Form;
export type Field = forms.Field;
export type FieldProblem = forms.Problem;
export type Dashboard = journey.Dashboard;
export type Stage = journey.Stage;
export type Item = journey.Item;
export type AppStatus = main.AppStatus;
export type HelpSummary = help.Summary;
export type HelpArticle = help.Article;
export type HelpResult = help.Result;
export type Training = onboarding.Training;
export type QuizOutcome = onboarding.QuizOutcome;
export type Question = webinar.Question;
export type QuizResult = webinar.Result;
export type SyncReport = onboarding.SyncReport;
export type OutboxEntry = onboarding.OutboxEntry;
export type PacketPreview = onboarding.PacketPreview;
export type PacketView = onboarding.PacketView;
export type ExportResult = main.ExportResult;
export type ConnectionSettings = onboarding.ConnectionSettings;
export type SettingsView = onboarding.SettingsView;
export type SettingsSaved = onboarding.SettingsSaved;
export type SettingsTest = onboarding.SettingsTest;
export type PlayedSegment = { start: number; end: number; wallSeconds: number };

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new ProblemError(toProblem(err));
  }
}

export const api = {
  status: () => call(() => App.Status()),
  startFresh: () => call(() => App.StartFresh()),
  setupForm: () => call(() => App.SetupForm()),
  validateSetupField: (name: string, value: string) =>
    call(() => App.ValidateSetupField(name, value)),
  setUp: (values: Record<string, string>) => call(() => App.SetUp(values)),
  dashboard: () => call(() => App.Dashboard()),
  setChecked: (item: string, done: boolean) => call(() => App.SetChecked(item, done)),
  helpIndex: () => call(() => App.HelpIndex()),
  helpArticle: (id: string) => call(() => App.HelpArticle(id)),
  searchHelp: (query: string) => call(() => App.SearchHelp(query)),
  training: () => call(() => App.Training()),
  reportPlayback: (version: string, segments: PlayedSegment[], position: number) =>
    call(() => App.ReportPlayback(version, segments.map((s) => webinar.Segment.createFrom(s)), position)),
  quiz: () => call(() => App.Quiz()),
  form: (id: string) => call(() => App.Form(id)),
  saveDraft: (id: string, data: forms.Data) => call(() => App.SaveDraft(id, data)),
  checkForm: (id: string, data: forms.Data) => call(() => App.CheckForm(id, data)),
  submitForm: (id: string, data: forms.Data) => call(() => App.SubmitForm(id, data)),
  startResubmission: (id: string) => call(() => App.StartResubmission(id)),
  discardDraft: (id: string) => call(() => App.DiscardDraft(id)),
  setSecret: (formId: string, field: string, value: string) => call(() => App.SetSecret(formId, field, value)),
  attachFile: (formId: string, field: string, name: string, b64: string) => call(() => App.AttachFile(formId, field, name, b64)),
  chooseFile: (formId: string, field: string, title: string) => call(() => App.ChooseFile(formId, field, title)),
  preview: (hash: string) => call(() => App.Preview(hash)),
  openAttachment: (hash: string) => call(() => App.OpenAttachment(hash)),
  place: () => call(() => App.Place()),
  syncNow: () => call(() => App.SyncNow()),
  lastSync: () => call(() => App.LastSync()),
  outbox: () => call(() => App.OutboxItems()),
  retryOutboxItem: (id: number) => call(() => App.RetryOutboxItem(id)),
  askForHelp: (subject: string, message: string) => call(() => App.AskForHelp(subject, message)),
  createPortalPassword: (password: string) => call(() => App.CreatePortalPassword(password)),
  /** Calls back after every background sync; returns the unsubscribe function. */
  onSync: (cb: (r: onboarding.SyncReport) => void): (() => void) => {
    try {
      return EventsOn('sync', (r: onboarding.SyncReport) => cb(r));
    } catch {
      return () => {};
    }
  },
  previewPacket: () => call(() => App.PreviewPacket()),
  exportPacket: (packetId: string, suggestedName: string) => call(() => App.ExportPacket(packetId, suggestedName)),
  showInFolder: (path: string) => call(() => App.ShowInFolder(path)),
  openPacket: () => call(() => App.OpenPacket()),
  openPacketPDF: (path: string) => call(() => App.OpenPacketPDF(path)),
  /** Calls back with each stage of a packet export; returns the unsubscribe function. */
  onPacketProgress: (cb: (stage: string) => void): (() => void) => {
    try {
      return EventsOn('packet:progress', (stage: string) => cb(stage));
    } catch {
      return () => {};
    }
  },
  /** Calls back when the window is being closed; returns the unsubscribe function. */
  onClosing: (cb: () => void): (() => void) => {
    try {
      return EventsOn('app:closing', () => cb());
    } catch {
      return () => {};
    }
  },
  closingDone: () => call(() => App.ClosingDone()),
  setPlace: (place: string) => call(() => App.SetPlace(place)),
  settings: () => call(() => App.Settings()),
  /** An empty password keeps the stored one; clearPassword removes it. */
  resetSettings: () => call(() => App.ResetSettings()),
  saveSettings: (s: ConnectionSettings, password: string, clearPassword: boolean) =>
    call(() => App.SaveSettings(s, password, clearPassword)),
  testSettings: (s: ConnectionSettings, password: string, clearPassword: boolean) =>
    call(() => App.TestSettings(s, password, clearPassword)),
  submitQuiz: (answers: Record<string, string>) => call(() => App.SubmitQuiz(answers)),
};
