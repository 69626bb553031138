import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccidentResolver, AccountabilityItemResolver, InvestigationReportResolver, InvestigationResolver, RegionResolver } from './case/case.resolver.js';
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
  AccountabilityItemResolver,
  RegionResolver,
  EvaluationResolver,
  MeasureFindingResolver,
  AccountabilityFindingResolver,
  RectificationTaskResolver,
] as const;

export function buildApiSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    validate: { forbidUnknownValues: false },
  });
}
