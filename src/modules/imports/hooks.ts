/**
 * What the modules owning imported tables do around a load. The import engine sits below them: a template
 * names its hook by template kind and event, and the owning module registers the hook from its index.ts
 * (`registerImportHooks`), so imports never imports claims, cash, receivables or any module above it (no
 * cycle between modules; test/module-cycles.test.ts holds it).
 */
import type { Db } from '../../db/db.ts';
import type { ImportIssue, ItemLoader, LoadCounts } from './types.ts';

export interface MergeOptions {
  /** Claims: save them as drafts (not submitted). */
  drafts: boolean;
}

export interface ImportHooks {
  /** Before the merge, in the load's transaction: `rows` is SQL for the typed rows; problems refuse the file. */
  beforeMerge?: (tx: Db, rows: string, options: MergeOptions) => Promise<ImportIssue[]>;
  /** After the load committed (e.g. to queue work the new rows need). */
  afterCommit?: (db: Db, accounts: readonly string[], options: MergeOptions) => Promise<unknown>;
  /** A JSON template's loader. */
  itemLoader?: ItemLoader;
  /** A file template's loader (bank files). */
  fileLoader?: (
    tx: Db,
    file: { path: string; fileName: string; sha256: string; importId?: string },
  ) => Promise<{
    counts: LoadCounts;
    rowsTotal: number;
    issues: ImportIssue[];
    /** What the load did, in words, when the counts alone do not say it (X12: sets loaded and refused). */
    message?: string;
    /** Rows the file put into other templates (X12 sets): their after-load work runs as for those templates. */
    loaded?: { kind: string; counts: LoadCounts; rowsTotal: number; accounts: string[] }[];
  }>;
  /** A file template's recogniser: true when the file's first bytes are this template's. */
  sniff?: (head: Buffer) => boolean;
}

/** Runs after any load of the named kinds that changed rows (e.g. the claims ledger re-runs on evidence). */
export interface LoadListener {
  kinds: readonly string[];
  /** `accounts`: the accounts the load touched, when the template tracks them. */
  run: (db: Db, loaded: { accounts: readonly string[] | undefined; rowsTotal: number }) => Promise<unknown>;
}

const hooks = new Map<string, ImportHooks>();
const listeners: LoadListener[] = [];
const vocabularies = new Map<string, readonly string[]>();

export function registerImportHooks(kind: string, given: ImportHooks): void {
  hooks.set(kind, { ...hooks.get(kind), ...given });
}

export function registerLoadListener(listener: LoadListener): void {
  listeners.push(listener);
}

/** A list of allowed values a template checks against, owned by another module (rule codes). */
export function registerVocabulary(name: string, values: readonly string[]): void {
  vocabularies.set(name, values);
}

function missing(what: string): never {
  throw new Error(
    `No module registered ${what}: load src/modules/index.ts (every module registers its import hooks).`,
  );
}

/** The hook `name` of template `kind`, looked up when it runs (modules register after templates load). */
export function importHook<K extends keyof ImportHooks>(kind: string, name: K): NonNullable<ImportHooks[K]> {
  return hooks.get(kind)?.[name] ?? missing(`the ${name} hook of ${kind}`);
}

/** Whether a hook is registered (optional ones: a bank file is not recognised without its readers). */
export function hasImportHook(kind: string, name: keyof ImportHooks): boolean {
  return hooks.get(kind)?.[name] !== undefined;
}

export function vocabulary(name: string): readonly string[] {
  return vocabularies.get(name) ?? missing(`the vocabulary ${name}`);
}

export async function notifyLoadListeners(
  db: Db,
  kind: string,
  loaded: { accounts: readonly string[] | undefined; rowsTotal: number },
): Promise<void> {
  for (const l of listeners) if (l.kinds.includes(kind)) await l.run(db, loaded);
}
