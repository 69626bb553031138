// Types for install-temporal.mjs (plain JS so that `node infra/install-temporal.mjs` runs without a build).

export declare const TEMPORAL_CLI_VERSION: string;
export declare const TEMPORAL_TEST_SERVER_VERSION: string;
export declare const TEMPORAL_PIP_REQUIREMENTS: readonly string[];
export declare const TEMPORAL_VENV_RELATIVE_DIR: string;
export declare const LOCK_STALE_MS: number;

export type TemporalInstallStep = 'python' | 'venv' | 'pip' | 'lock' | 'verify';

export declare class TemporalInstallError extends Error {
  constructor(step: TemporalInstallStep, message: string, outputTail?: string);
  readonly step: TemporalInstallStep;
  /** End of the failing command's output (stderr preferred). */
  readonly outputTail: string;
}

export interface TemporalVenvPaths {
  venvDir: string;
  binDir: string;
  /** `<venv>/bin/temporal` */
  cli: string;
  /** `<venv>/bin/temporal-test-server` */
  testServer: string;
  lockDir: string;
}

export interface InstallTemporalOptions {
  /** Defaults to the directory holding package.json above install-temporal.mjs. */
  projectDir?: string;
  log?: (msg: string) => void;
  /** Raw pip/venv output chunks. */
  onOutput?: (chunk: string) => void;
  /** How long to wait for another process's install (default 20 min). */
  lockTimeoutMs?: number;
}

export declare function findProjectRoot(startDir?: string): string;
export declare function temporalVenvPaths(projectDir: string): TemporalVenvPaths;
export declare function displayPath(p: string): string;
/** `undefined` if `p` is an executable regular file, otherwise the reason it is not. */
export declare function executableProblem(p: string): Promise<string | undefined>;
export declare function findPython(): Promise<string | undefined>;
export declare function installTemporalBinaries(
  options?: InstallTemporalOptions,
): Promise<TemporalVenvPaths & { installed: boolean }>;
