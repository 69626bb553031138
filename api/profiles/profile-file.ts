import { parse as parseYaml } from 'yaml';
import { badInput } from '../../domain/errors.js';

/** The versions a file holds (one version, or a list of them): JSON by a .json name, YAML otherwise. */
export function parseProfileFile(name: string, text: string): unknown[] {
  let value: unknown;
  try {
    // No aliases: a version is a few lines, and an alias bomb must not expand in memory.
    value = /\.json$/i.test(name) ? JSON.parse(text) : parseYaml(text, { maxAliasCount: 0 });
  } catch (error) {
    throw badInput('file', `not valid ${/\.json$/i.test(name) ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  return Array.isArray(value) ? value : [value];
}
