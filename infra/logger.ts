import { pino, type Logger } from 'pino';

const root = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: { app: 'bihuan' },
  timestamp: pino.stdTimeFunctions.isoTime,
});

/** A named child logger per module: `const log = logger('worker')`. */
export function logger(name: string): Logger {
  return root.child({ module: name });
}
