import DataLoader from 'dataloader';
import type { EntityClass, EntityManager } from '@mikro-orm/postgresql';
import {
  AccountabilityFinding,
  AccountabilityItem,
  Accident,
  AuditEntry,
  Department,
  Enterprise,
  Evaluation,
  EvaluationReport,
  Investigation,
  InvestigationReport,
  Measure,
  MeasureFinding,
  Notification,
  OnSiteCheck,
  RectificationTask,
  Referral,
  Region,
  TeamMember,
} from '../schema/entities/index.js';

type Keyed = Record<string, unknown>;

/** The key a row is grouped under: a scalar column, or the id of a to-one relation. */
function keyOf(row: object, key: string): string {
  const value = (row as Keyed)[key];
  if (value && typeof value === 'object' && 'id' in value) return String((value as { id: unknown }).id);
  return String(value);
}

/**
 * Per-request batching: every field that reads a related row goes through one of these, so a page of N cases
 * costs one query per relation, not N. Created fresh for each request (never shared between users).
 */
export function createLoaders(em: EntityManager) {
  // Rows found by any loader are handed to their entity's by-id loader, so a row reached two ways is read once.
  const byId = new Map<EntityClass<object>, DataLoader<string, object | null>>();
  const share = <T extends object>(entity: EntityClass<T>, rows: T[]): void => {
    const loader = byId.get(entity as EntityClass<object>);
    for (const row of rows) loader?.prime(keyOf(row, 'id'), row);
  };
  const one = <T extends object>(entity: EntityClass<T>, key = 'id') => {
    const loader = new DataLoader<string, T | null>(async (ids) => {
      const rows = await em.find(entity, { [key]: { $in: [...ids] } } as never);
      if (key !== 'id') share(entity, rows);
      const byKey = new Map(rows.map((r) => [keyOf(r, key), r]));
      return ids.map((id) => byKey.get(id) ?? null);
    });
    if (key === 'id') byId.set(entity as EntityClass<object>, loader as DataLoader<string, object | null>);
    return loader;
  };
  const many = <T extends object>(entity: EntityClass<T>, key: string, orderBy: Record<string, 'asc' | 'desc'>) =>
    new DataLoader<string, T[]>(async (ids) => {
      const rows = await em.find(entity, { [key]: { $in: [...ids] } } as never, { orderBy: orderBy as never });
      share(entity, rows);
      const byKey = new Map<string, T[]>(ids.map((id) => [id, []]));
      for (const row of rows) byKey.get(keyOf(row, key))?.push(row);
      return ids.map((id) => byKey.get(id) ?? []);
    });
  const loaders = {
    region: one(Region),
    department: one(Department),
    enterprise: one(Enterprise),
    accident: one(Accident),
    measure: one(Measure),
    accountabilityItem: one(AccountabilityItem),
    investigation: one(Investigation),
    investigationReport: one(InvestigationReport),
    investigationByAccident: one(Investigation, 'accident'),
    reportByInvestigation: one(InvestigationReport, 'investigation'),
    departmentsByInvestigation: new DataLoader<string, Department[]>(async (ids) => {
      const rows = await em.find(Investigation, { id: { $in: [...ids] } }, { populate: ['departments'] });
      const byId = new Map(rows.map((r) => [r.id, r.departments.getItems()]));
      return ids.map((id) => byId.get(id) ?? []);
    }),
    measuresByReport: many(Measure, 'report', { seq: 'asc' }),
    accountabilityByReport: many(AccountabilityItem, 'report', { seq: 'asc' }),
    evaluation: one(Evaluation),
    teamByEvaluation: many(TeamMember, 'evaluation', { seq: 'asc' }),
    checksByEvaluation: many(OnSiteCheck, 'evaluation', { seq: 'asc' }),
    measureFindingsByEvaluation: many(MeasureFinding, 'evaluation', { id: 'asc' }),
    accountabilityFindingsByEvaluation: many(AccountabilityFinding, 'evaluation', { id: 'asc' }),
    referralsByEvaluation: many(Referral, 'evaluation', { code: 'asc' }),
    reportByEvaluation: one(EvaluationReport, 'evaluation'),
    tasksByEvaluation: many(RectificationTask, 'evaluation', { deadline: 'asc' }),
    notificationsBySubject: many(Notification, 'subjectId', { createdAt: 'asc' }),
    auditBySubject: many(AuditEntry, 'subjectId', { id: 'asc' }),
    /** Rows a query already read (a page of accidents, say) are handed to the loaders. */
    prime: share,
  };
  return loaders;
}

export type Loaders = ReturnType<typeof createLoaders>;
