import 'reflect-metadata';
import { validateOrReject, type ValidatorOptions } from 'class-validator';
import type { GraphQLSchema } from 'graphql';
import { ArgumentValidationError, buildSchema } from 'type-graphql';
import { guardCaseFields } from './access.js';
import { AuditResolver } from './audit/audit.resolver.js';
import { CalendarResolver } from './calendar/calendar.resolver.js';
import { CAMPAIGN_RESOLVERS } from './campaign/campaign.resolver.js';
import { HAZARD_RESOLVERS } from './hazard/hazard.resolver.js';
import { HAZARD_CIRCULAR_RESOLVERS } from './hazard-circular/hazard-circular.resolver.js';
import { INTAKE_RESOLVERS } from './intake/intake.resolver.js';
import { RuleProfileResolver } from './profiles/profiles.resolver.js';
import { StatisticsResolver } from './statistics/statistics.resolver.js';
import { WHISTLEBLOWER_RESOLVERS } from './whistleblower/whistleblower.resolver.js';
import { AccidentResolver, InvestigationReportResolver, InvestigationResolver, RegionResolver } from './case/case.resolver.js';
import {
  AccountabilityFindingResolver,
  EvaluationResolver,
  MeasureFindingResolver,
  RectificationTaskResolver,
} from './evaluation/evaluation.resolver.js';

export const RESOLVERS = [
  AccidentResolver,
  InvestigationResolver,
  InvestigationReportResolver,
  RegionResolver,
  EvaluationResolver,
  MeasureFindingResolver,
  AccountabilityFindingResolver,
  RectificationTaskResolver,
  AuditResolver,
  ...INTAKE_RESOLVERS,
  RuleProfileResolver,
  CalendarResolver,
  ...CAMPAIGN_RESOLVERS,
  StatisticsResolver,
  ...HAZARD_RESOLVERS,
  ...WHISTLEBLOWER_RESOLVERS,
  ...HAZARD_CIRCULAR_RESOLVERS,
] as const;

// type-graphql's own validation: missing properties skipped (optional fields), unknown values let through (graphql-js
// has already refused fields the input type lacks).
const VALIDATION: ValidatorOptions = { skipMissingProperties: true, forbidUnknownValues: false };
const validated = (value: unknown): value is object => value !== null && typeof value === 'object';

/**
 * Class-validator's rules on every input object argument, as type-graphql's `validate` settings run them, but with
 * class-validator imported once: type-graphql's default imports it anew (a module resolution) for every argument.
 */
async function validateArgument(value: unknown): Promise<void> {
  try {
    if (Array.isArray(value)) await Promise.all(value.filter(validated).map((item) => validateOrReject(item, VALIDATION)));
    else if (validated(value)) await validateOrReject(value, VALIDATION);
  } catch (error) {
    throw new ArgumentValidationError(error as ConstructorParameters<typeof ArgumentValidationError>[0]);
  }
}

/** The schema, with every field of case data behind the field table in domain/access.ts. */
export async function buildApiSchema(): Promise<GraphQLSchema> {
  return guardCaseFields(
    await buildSchema({
      resolvers: RESOLVERS,
      validateFn: validateArgument,
    }),
  );
}
