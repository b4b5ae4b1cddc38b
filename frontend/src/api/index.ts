// The only importer of the generated Wails bindings: the rest of the
// frontend uses the types and calls exported here.
import * as App from '../../wailsjs/go/main/App';
import {
  forms,
  webinar,
  type attach,
  type directories,
  type formfill,
  type help,
  type journey,
  type lifecycle,
  type main,
  type npi,
  type packets,
  type settings,
  type syncing,
  type training,
  type updates,
} from '../../wailsjs/go/models';
import { ProblemError, toProblem } from './problem';
import { BrowserOpenURL, EventsOn } from '../../wailsjs/runtime/runtime';

export type Form = forms.Form;
export type Field = forms.Field;
export type FieldProblem = forms.Problem;
export type Schema = forms.Schema;
export type FormData = forms.Data;
export type FileInfo = attach.Info;
export type FormView = formfill.FormView;
export type SubmitResult = formfill.SubmitResult;
export type Dashboard = journey.Dashboard;
export type PortalAccess = journey.PortalAccess;
export type Stage = journey.Stage;
export type Item = journey.Item;
export type AppStatus = lifecycle.Status;
export type HelpSummary = help.Summary;
export type HelpArticle = help.Article;
export type HelpResult = help.Result;
export type Training = training.Training;
export type QuizOutcome = training.QuizOutcome;
export type Question = webinar.Question;
export type QuizResult = webinar.Result;
export type TranscriptSection = webinar.TranscriptSection;
export type SyncReport = syncing.SyncReport;
export type OutboxEntry = syncing.OutboxEntry;
export type NpiCheck = npi.Check;
export type HelpThread = syncing.HelpThread;
export type PacketPreview = packets.PacketPreview;
export type PacketView = packets.PacketView;
export type ExportResult = main.ExportResult;
export type ConnectionSettings = settings.ConnectionSettings;
export type SettingsView = settings.SettingsView;
export type SettingsSaved = settings.SettingsSaved;
export type SettingsTest = settings.SettingsTest;
export type Policies = main.Policies;
export type DirectoriesView = directories.View;
export type Offering = directories.Offering;
export type DirectoryRequest = directories.Request;
export type UpdateOffer = updates.Offer;
export type PlayedSegment = { start: number; end: number; wallSeconds: number };
/** Form data as the screens hold it: plain fields and repeating groups. */
export type FormDataInput = { fields: Record<string, string>; groups: Record<string, Record<string, string>[]> };

/** A schema field made in the frontend (tests), shaped as the ones Go sends. */
export function schemaField(f: Record<string, unknown>): Field {
  return forms.Field.createFrom(f);
}

/** A problem made in the frontend, shaped as the ones Go sends. */
export function fieldProblem(field: string, code: string, message: string): FieldProblem {
  return forms.Problem.createFrom({ field, code, message });
}

async function call<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw new ProblemError(toProblem(err));
  }
}

export const api = {
  status: () => call(() => App.Status()),
  policies: () => call(() => App.Policies()),
  startFresh: () => call(() => App.StartFresh()),
  setupForm: () => call(() => App.SetupForm()),
  validateSetupField: (name: string, value: string) =>
    call(() => App.ValidateSetupField(name, value)),
  setUp: (values: Record<string, string>) => call(() => App.SetUp(values)),
  dashboard: () => call(() => App.Dashboard()),
  setChecked: (item: string, done: boolean) => call(() => App.SetChecked(item, done)),
  appVersion: () => call(() => App.Version()),
  helpIndex: () => call(() => App.HelpIndex()),
  helpArticle: (id: string) => call(() => App.HelpArticle(id)),
  searchHelp: (query: string) => call(() => App.SearchHelp(query)),
  training: () => call(() => App.Training()),
  reportPlayback: (version: string, segments: PlayedSegment[], position: number) =>
    call(() => App.ReportPlayback(version, segments.map((s) => webinar.Segment.createFrom(s)), position)),
  quiz: () => call(() => App.Quiz()),
  form: (id: string) => call(() => App.Form(id)),
  saveDraft: (id: string, data: FormDataInput) => call(() => App.SaveDraft(id, forms.Data.createFrom(data))),
  checkForm: (id: string, data: FormDataInput) => call(() => App.CheckForm(id, forms.Data.createFrom(data))),
  submitForm: (id: string, data: FormDataInput) => call(() => App.SubmitForm(id, forms.Data.createFrom(data))),
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
  checkNPI: (field: string, number: string) => call(() => App.CheckNPI(field, number)),
  helpThreads: () => call(() => App.HelpThreads()),
  createPortalPassword: (password: string) => call(() => App.CreatePortalPassword(password)),
  /** The newer version on offer (or why its download was refused), null when none. */
  updateOffer: () => call(() => App.UpdateOffer()),
  /** Opens the checked update with the system's installer; returns why not ('' when it did). */
  installUpdate: () => call(() => App.InstallUpdate()),
  directories: () => call(() => App.Directories()),
  /** kind: add-payer, unenroll-payer, enroll-program or leave-program. */
  askDirectories: (kind: string, target: string, reason: string) => call(() => App.AskDirectories(kind, target, reason)),
  /** Opens a web address (the portal's, from the network) in the provider's browser. */
  openWebPage: (url: string) => BrowserOpenURL(url),
  /** Calls back after every background sync; returns the unsubscribe function. */
  onSync: (cb: (r: syncing.SyncReport) => void): (() => void) => {
    try {
      return EventsOn('sync', (r: syncing.SyncReport) => cb(r));
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
