import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  await globalThis.__bihuanStopDb?.();
  if (globalThis.__bihuanWorkDir) await rm(globalThis.__bihuanWorkDir, { recursive: true, force: true });
}
