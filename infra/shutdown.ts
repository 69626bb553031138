import { readdirSync, readFileSync } from 'node:fs';
import type { WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';

/** In-flight activities get a few seconds after a shutdown request; after that the worker gives up on them. */
export const workerShutdownOptions: Partial<WorkerOptions> = { shutdownGraceTime: '5s', shutdownForceTime: '20s' };

export interface StopOptions {
  /** How long this part may take to stop before the next one goes ahead. */
  timeoutMs?: number;
  /** Synchronous, immediate stop for a forced exit (a second signal, the overall deadline, process.exit). */
  kill?: () => void;
}

export interface Shutdown {
  /** Registers a part; parts stop in reverse order of registration, each within its time limit. */
  add(name: string, stop: () => Promise<unknown>, options?: StopOptions): void;
  /** Stops every part, then exits with `code`. Later calls only wait for the first. */
  stop(code: number): Promise<never>;
}

/**
 * The one shutdown path of an entry point. SIGINT and SIGTERM stop the parts in reverse order with bounded waits
 * (the API drains, then the worker, then the connections, then the servers); a second signal, or the overall
 * deadline, exits at once. Whatever way the process exits, every child process it still has is killed, so no
 * Temporal dev server or PostgreSQL is left behind.
 */
export function handleShutdown(log: Logger, options: { deadlineMs?: number } = {}): Shutdown {
  const deadlineMs = options.deadlineMs ?? 60_000;
  const parts: { name: string; stop: () => Promise<unknown>; timeoutMs: number; kill?: () => void }[] = [];
  let stopping: Promise<never> | undefined;

  const killChildren = () => {
    for (const part of parts) {
      try {
        part.kill?.();
      } catch {
        // already gone
      }
    }
    for (const pid of childProcesses()) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const force = (why: string) => {
    log.warn(`${why}: exiting now`);
    process.exitCode = 1;
    process.exit(1);
  };
  process.on('exit', killChildren);

  const stop = (code: number): Promise<never> => {
    stopping ??= (async () => {
      log.info('stopping');
      setTimeout(() => force(`not stopped within ${deadlineMs / 1000} s`), deadlineMs).unref();
      for (const part of [...parts].reverse()) {
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          part.stop().then(
            () => 'stopped',
            (error: unknown) => {
              log.error({ err: error, part: part.name }, 'while stopping');
              return 'failed';
            },
          ),
          new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timed out'), part.timeoutMs))),
        ]);
        clearTimeout(timer);
        if (outcome === 'timed out') log.warn({ part: part.name }, `did not stop within ${part.timeoutMs / 1000} s; going on`);
      }
      log.info('stopped');
      process.exit(code);
    })();
    return stopping;
  };

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) force(`second ${signal}`);
      else void stop(0);
    });
  }
  return {
    add: (name, stopPart, partOptions = {}) => parts.push({ name, stop: stopPart, timeoutMs: partOptions.timeoutMs ?? 10_000, kill: partOptions.kill }),
    stop,
  };
}

/** Live child processes of this process (Linux /proc; elsewhere none are found and part kills must do). */
function childProcesses(): number[] {
  const children: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return children;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which may contain spaces: state, ppid, …
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) === process.pid && state !== 'Z') children.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return children;
}
