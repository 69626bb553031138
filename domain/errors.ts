/** Codes a refused action carries, from the domain up to GraphQL `extensions.code`. */
export const DOMAIN_ERROR_CODES = ['BAD_USER_INPUT', 'INVALID_TRANSITION', 'NOT_FOUND', 'FORBIDDEN'] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

export function isDomainErrorCode(value: unknown): value is DomainErrorCode {
  return typeof value === 'string' && (DOMAIN_ERROR_CODES as readonly string[]).includes(value);
}

/** A rule of the regulations refused an action. `field` names the input at fault, when there is one. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export function invalidTransition(message: string): DomainError {
  return new DomainError('INVALID_TRANSITION', message);
}

export function badInput(field: string, message: string): DomainError {
  return new DomainError('BAD_USER_INPUT', `${field}: ${message}`, field);
}
