import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
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

/** The schema, with every field of case data behind the field table in domain/access.ts. */
export async function buildApiSchema(): Promise<GraphQLSchema> {
  return guardCaseFields(
    await buildSchema({
      resolvers: RESOLVERS,
      validate: { forbidUnknownValues: false },
    }),
  );
}
