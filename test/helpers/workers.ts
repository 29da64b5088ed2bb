import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');

/** A worker process (`node src/worker.ts`) and the log lines it has written. */
export interface WorkerProcess {
  child: ChildProcess;
  out: string[];
}

/**
 * Worker processes on one database, as on separate machines: each started with one job at a time and its
 * log at info level, resolved once it says it started; `stop()` kills them all (after the test).
 */
export function workerProcesses(env: () => { databaseUrl: string; home: string }) {
  const started: WorkerProcess[] = [];
  return {
    start(): Promise<WorkerProcess> {
      const { databaseUrl, home } = env();
      const child = spawn(process.execPath, [path.join(root, 'src', 'worker.ts')], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          CLEARHOUSE_HOME: home,
          CLEARHOUSE_WORKER_CONCURRENCY: '1',
          SMTP_URL: '',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      const worker = { child, out: [] as string[] };
      started.push(worker);
      let rest = '';
      return new Promise((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => {
          const lines = (rest + chunk.toString()).split('\n');
          rest = lines.pop()!;
          worker.out.push(...lines);
          if (lines.some((l) => l.includes('"worker started"'))) resolve(worker);
        });
        child.on('exit', (code) => reject(new Error(`a worker exited (${code}): ${worker.out.join('\n')}`)));
      });
    },
    stop(): void {
      for (const w of started) w.child.kill('SIGKILL');
    },
  };
}

/** How many times a worker logged that a job of `name` was done. */
export const jobsDone = (worker: WorkerProcess, name: string): number =>
  worker.out.filter((l) => l.includes(`"job":"${name}"`) && l.includes('"job done"')).length;
