import { randomUUID } from 'node:crypto';
import { LockMode, type EntityManager, type RequiredEntityData } from '@mikro-orm/postgresql';
import type {
  AccountabilityFinding as AccountabilityFindingState,
  EvaluationState,
  MeasureFinding as MeasureFindingState,
  OnSiteCheck as OnSiteCheckState,
  RectificationTask as RectificationTaskState,
  Referral as ReferralState,
  TeamMember as TeamMemberState,
} from '../domain/evaluation.js';
import type { TaskState } from '../domain/rectification-task.js';
import { AppUser, RoleGrantRow } from '../schema/entities/identity.js';
import {
  AccountabilityFinding,
  Evaluation,
  EvaluationReport,
  MeasureFinding,
  OnSiteCheck,
  RectificationTask,
  Referral,
  TeamMember,
} from '../schema/entities/evaluation.js';
import { evaluationColumns } from '../workflows/evaluation/projection.js';
import { audit, auditKeyOf, ENTRY_COLUMNS, entryValues, signEntry, type SignedEntry } from './audit.js';
import { storeOrRefuse } from './failures.js';
import type { ActivityDeps } from './index.js';
import { prepared } from '../infra/prepared.js';
import type { ChangeOutcome, ChangeRecord, EvaluationChange, EvaluationColumns } from './types.js';

type Report = NonNullable<EvaluationState['report']>;

const date = (iso: string | null | undefined): Date | null => (iso ? new Date(iso) : null);

const TIMESTAMPS = new Set<keyof EvaluationColumns>([
  'opensAt',
  'dueAt',
  'teamDueAt',
  'teamFormedAt',
  'documentReviewedAt',
  'onSiteCompletedAt',
  'assessedAt',
  'publishedAt',
  'filedAt',
  'closedAt',
]);

/** Column values as the entity holds them (timestamps as Dates). */
function columnValues(columns: Partial<EvaluationColumns>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(columns).map(([key, value]) => [key, TIMESTAMPS.has(key as keyof EvaluationColumns) ? date(value as string | null) : value]));
}

// How each column takes a text parameter (em.execute inlines parameters as quoted values).
const CASTS: Partial<Record<keyof EvaluationColumns, (placeholder: string) => string>> = {
  overdue: (p) => `${p}::boolean`,
  overdueClocks: (p) => `array(select jsonb_array_elements_text(${p}::jsonb))`,
  selfEvaluation: (p) => `${p}::jsonb`,
};

/** A statement (or a part of one) and its `?` parameters, in order. */
interface Sql {
  sql: string;
  params: unknown[];
}

/**
 * The statement that moves the evaluation row to the change's revision, only from the one before (`returning
 * "id"`: no row otherwise), with the change's columns. `after`: also only when the subject's last audit entry
 * before this revision is that one (its HMAC), the entry the change is signed onto.
 */
function movedRow(em: EntityManager, change: EvaluationChange, after?: SignedLink): Sql {
  const properties = em.getMetadata().find(Evaluation)!.properties as Record<string, { fieldNames: string[] }>;
  const column = (property: string): string => `"${properties[property]!.fieldNames[0]}"`;
  const sets: string[] = [];
  const params: unknown[] = [];
  for (const [key, value] of Object.entries(change.columns) as [keyof EvaluationColumns, unknown][]) {
    const cast = CASTS[key] ?? ((p: string) => (TIMESTAMPS.has(key) ? `${p}::timestamptz` : p));
    sets.push(`${column(key)} = ${cast('?')}`);
    params.push(value === null || typeof value === 'string' ? value : JSON.stringify(value));
  }
  // Every value a parameter, so the text depends only on which columns change (a prepared statement per shape).
  sets.push(`${column('revision')} = ?::int`, `${column('updatedAt')} = now()`);
  params.push(Number(change.revision));
  if (change.started) sets.push(`${column('workflowStartedAt')} = coalesce(${column('workflowStartedAt')}, now())`);
  params.push(change.evaluationId, Number(change.revision) - 1);
  let linked = '';
  if (after) {
    linked = ` and (select a.hmac from "audit_entry" a where a.subject_type = 'evaluation' and a.subject_id = ? and a.revision < ?::int
      order by a.revision desc limit 1) = ?`;
    params.push(change.evaluationId, Number(change.revision), after.hmac);
  }
  return { sql: `update "evaluation" set ${sets.join(', ')} where "id" = ? and "revision" = ?::int${linked} returning "id"`, params };
}

/** On-site checks added at the end (the change most often repeated), written from the moved row; null for others. */
function appendedChecks(change: EvaluationChange): Sql | null {
  const appended = change.onSiteChecks && !change.onSiteChecks.replace && change.onSiteChecks.checks.length ? change.onSiteChecks : null;
  if (!appended) return null;
  return {
    sql: `insert into "on_site_check" ("id", "evaluation_id", "seq", "kind", "on", "place", "summary", "recorded_by")
      select m.id || '/check/' || (? + c.ordinality - 1), m.id, ? + c.ordinality - 1, c.value->>'kind', (c.value->>'on')::date,
        c.value->>'place', c.value->>'summary', c.value->>'recordedBy'
      from moved m, jsonb_array_elements(?::jsonb) with ordinality as c`,
    params: [appended.from, appended.from, JSON.stringify(appended.checks)],
  };
}

/**
 * The statement of the transaction path: moves the row, writes appended checks, and returns the last audit entry,
 * which the change's entry links to (the row lock orders this evaluation's writers); no row when not moved.
 */
function evaluationUpdate(em: EntityManager, change: EvaluationChange): Sql & { checksWritten: boolean } {
  const moved = movedRow(em, change);
  const checks = appendedChecks(change);
  return {
    sql: `with moved as (${moved.sql})${checks ? `, checks as (${checks.sql})` : ''}
      select (select json_build_object('stateHash', a.state_hash, 'hmac', a.hmac) from "audit_entry" a
        where a.subject_type = 'evaluation' and a.subject_id = ? and a.revision < ? order by a.revision desc limit 1) as previous
      from moved`,
    params: [...moved.params, ...(checks?.params ?? []), change.evaluationId, Number(change.revision)],
    checksWritten: Boolean(checks),
  };
}

/** The last audit entry this process wrote for an evaluation: what its next change's entry is signed onto. */
interface SignedLink {
  revision: number;
  stateHash: string;
  hmac: string;
}

/** Evaluations whose last entry a worker remembers (~250 bytes each); the oldest are forgotten first. */
const REMEMBERED_LINKS = 20_000;

/**
 * A change the one-statement path can write: its rows are the evaluation's own columns, checks added at the end,
 * referrals, and the report (its text or its approval). A team (with its members' grants), findings and new tasks
 * take the transaction path.
 */
function oneStatement(change: EvaluationChange): boolean {
  return !change.team && !change.findings && !change.newTasks?.length && !change.onSiteChecks?.replace;
}

/**
 * One change, its rows and its audit entry in one statement (one round trip, no transaction: a statement is
 * atomic), signed onto `link`, the entry this process wrote last. Every part is written from the moved row, so
 * nothing is written unless the row was at the revision before and `link` is still the trail's last entry.
 * Returns null when it was not (another process wrote since, or a retry), and the transaction path decides.
 */
function changeStatement(em: EntityManager, change: EvaluationChange, entry: SignedEntry, link: SignedLink): Sql {
  const parts: [string, Sql][] = [['moved', movedRow(em, change, link)]];
  const checks = appendedChecks(change);
  if (checks) parts.push(['checks', checks]);
  if (change.referrals?.length) {
    parts.push([
      'referrals',
      {
        sql: `insert into "referral" ("id", "evaluation_id", "code", "kind", "subject", "reason", "outcome", "resolved_at")
          select m.id || '/' || (r.value->>'id'), m.id, r.value->>'id', r.value->>'kind', r.value->>'subject', r.value->>'reason',
            r.value->>'outcome', (r.value->>'resolvedAt')::timestamptz
          from moved m, jsonb_array_elements(?::jsonb) as r
          on conflict ("id") do update set "code" = excluded."code", "kind" = excluded."kind", "subject" = excluded."subject",
            "reason" = excluded."reason", "outcome" = excluded."outcome", "resolved_at" = excluded."resolved_at"`,
        params: [JSON.stringify(change.referrals)],
      },
    ]);
  }
  if (change.report && 'whole' in change.report) {
    const r = change.report.whole;
    parts.push([
      'report',
      {
        sql: `insert into "evaluation_report" ("evaluation_id", "sections", "lists", "member_meeting_held_on", "secret_parts", "submitted_at", "approved_at", "approved_by", "returns")
          select m.id, ?::jsonb, ?::jsonb, ?::date, ?::jsonb, ?::timestamptz, ?::timestamptz, ?, ?::jsonb from moved m
          on conflict ("evaluation_id") do update set "sections" = excluded."sections", "lists" = excluded."lists",
            "member_meeting_held_on" = excluded."member_meeting_held_on", "secret_parts" = excluded."secret_parts", "submitted_at" = excluded."submitted_at",
            "approved_at" = excluded."approved_at", "approved_by" = excluded."approved_by", "returns" = excluded."returns"`,
        params: [
          JSON.stringify(r.sections),
          JSON.stringify(r.lists),
          r.memberMeetingHeldOn ?? null,
          JSON.stringify(r.secretParts),
          r.submittedAt,
          r.approvedAt ?? null,
          r.approvedBy ?? null,
          JSON.stringify(r.returns),
        ],
      },
    ]);
  }
  if (change.report && 'approval' in change.report) {
    const { approvedAt, approvedBy, returns } = change.report.approval;
    parts.push([
      'approval',
      {
        sql: `update "evaluation_report" set "approved_at" = ?::timestamptz, "approved_by" = ?, "returns" = ?::jsonb where "evaluation_id" = (select id from moved)`,
        params: [approvedAt ?? null, approvedBy ?? null, JSON.stringify(returns)],
      },
    ]);
  }
  const values = entryValues(entry);
  parts.push([
    'entry',
    {
      sql: `insert into "audit_entry" (${ENTRY_COLUMNS}) select ${values.row} from moved
        on conflict ("subject_type", "subject_id", "revision") do nothing returning 1`,
      params: values.params,
    },
  ]);
  return {
    sql: `with ${parts.map(([name, part]) => `${name} as (${part.sql})`).join(', ')} select (select count(*) from entry)::int as written from moved`,
    params: parts.flatMap(([, part]) => part.params),
  };
}

async function writeTeam(em: EntityManager, id: string, members: TeamMemberState[], replace: boolean): Promise<void> {
  if (replace) await em.nativeDelete(TeamMember, { evaluation: id });
  if (members.length) {
    await em.insertMany(
      TeamMember,
      members.map((m, seq) => ({ id: `${id}/team/${seq}`, evaluation: id, seq, name: m.name, departmentName: m.departmentName, departmentId: m.departmentId ?? null, role: m.role })),
    );
  }
  await writeTeamGrants(em, id, members, replace);
}

/** Members with a user account hold TEAM_MEMBER on this evaluation (domain/access.ts ends it at closure). */
async function writeTeamGrants(em: EntityManager, id: string, members: TeamMemberState[], replace: boolean): Promise<void> {
  const userIds = [...new Set(members.map((m) => m.userId).filter((u): u is string => Boolean(u)))];
  if (replace) await em.nativeDelete(RoleGrantRow, { evaluationId: id, role: 'TEAM_MEMBER' });
  const known = userIds.length ? await em.find(AppUser, { id: { $in: userIds } }) : [];
  if (known.length) {
    await em.insertMany(RoleGrantRow, known.map((user) => ({ id: randomUUID(), user: user.id, role: 'TEAM_MEMBER' as const, evaluationId: id })));
  }
}

async function writeChecks(em: EntityManager, id: string, from: number, checks: OnSiteCheckState[], replace: boolean): Promise<void> {
  if (replace) await em.nativeDelete(OnSiteCheck, { evaluation: id, seq: { $gte: from } });
  if (checks.length) await em.insertMany(OnSiteCheck, checks.map((c, i) => ({ id: `${id}/check/${from + i}`, evaluation: id, seq: from + i, ...c })));
}

async function writeFindings(em: EntityManager, id: string, measures: MeasureFindingState[], accountability: AccountabilityFindingState[], replace: boolean): Promise<void> {
  if (replace) {
    await em.nativeDelete(MeasureFinding, { evaluation: id });
    await em.nativeDelete(AccountabilityFinding, { evaluation: id });
  }
  if (measures.length) {
    await em.insertMany(MeasureFinding, measures.map((f) => ({ id: `${id}/${f.measureId}`, evaluation: id, measure: f.measureId, status: f.status, evidence: f.evidence })));
  }
  if (accountability.length) {
    await em.insertMany(AccountabilityFinding, accountability.map((f) => ({ id: `${id}/${f.itemId}`, evaluation: id, item: f.itemId, status: f.status, evidence: f.evidence })));
  }
}

/** Inserts referrals, or overwrites those already stored (an outcome recorded). */
async function writeReferrals(em: EntityManager, id: string, referrals: ReferralState[]): Promise<void> {
  if (!referrals.length) return;
  await em.upsertMany(
    Referral,
    referrals.map((r) => ({ id: `${id}/${r.id}`, evaluation: id, code: r.id, kind: r.kind, subject: r.subject, reason: r.reason, outcome: r.outcome ?? null, resolvedAt: date(r.resolvedAt) })),
    { onConflictFields: ['id'], onConflictAction: 'merge' },
  );
}

async function writeReport(em: EntityManager, id: string, r: Report): Promise<void> {
  await em.upsert(
    EvaluationReport,
    {
      evaluation: id,
      sections: r.sections,
      lists: r.lists,
      memberMeetingHeldOn: r.memberMeetingHeldOn ?? null,
      secretParts: r.secretParts,
      submittedAt: new Date(r.submittedAt),
      approvedAt: date(r.approvedAt),
      approvedBy: r.approvedBy ?? null,
      returns: r.returns,
    },
    { onConflictFields: ['evaluation'] },
  );
}

// The task's own workflow owns its row after this; the evaluation only creates it, so the response to the
// publishing official already lists the tasks.
async function createTasks(em: EntityManager, id: string, tasks: RectificationTaskState[]): Promise<void> {
  if (!tasks.length) return;
  await em.upsertMany(
    RectificationTask,
    tasks.map((t) => ({ id: t.id, evaluation: id, measure: t.measureId, workflowId: t.workflowId, assignee: t.assignee, deadline: new Date(t.deadline), status: t.status, revision: 0 })),
    { onConflictFields: ['id'], onConflictAction: 'ignore' },
  );
}

export function createProjectionActivities({ orm }: ActivityDeps) {
  // Per evaluation, the entry this worker wrote last: the next change of a case this worker runs is signed onto
  // it without reading it, and written in one statement (see changeStatement).
  const links = new Map<string, SignedLink>();
  const remember = (id: string, entry: SignedEntry | null): void => {
    links.delete(id);
    if (!entry?.stateHash) return;
    links.set(id, { revision: entry.revision, stateHash: entry.stateHash, hmac: entry.hmac });
    if (links.size > REMEMBERED_LINKS) links.delete(links.keys().next().value!);
  };

  return {
    /**
     * Writes the evaluation's read model from a whole workflow snapshot, with the audit entry of the change that
     * produced it: the first snapshot, a case whose read model lags behind (see saveEvaluationChange), and
     * workflows started before changes were written one by one. Idempotent and ordered: a snapshot older than the
     * stored revision changes nothing.
     */
    async saveEvaluationSnapshot(input: { state: EvaluationState; change?: ChangeRecord }): Promise<void> {
      const { state, change } = input;
      const id = state.case.evaluationId;
      const written = await storeOrRefuse('the evaluation', () => orm.em.fork().transactional(async (em) => {
        const current = await em.findOne(Evaluation, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (current && current.revision >= state.revision) {
          await audit(em, 'evaluation', id, state.revision, change, state);
          return null;
        }
        const row = {
          id,
          accident: state.case.accidentId,
          workflowId: `accident-evaluation/${state.case.accidentId}`,
          profileId: state.case.profile.id,
          profileVersion: state.case.profile.version,
          organiserRegion: state.case.organiserRegionId,
          assistingRegionIds: state.case.assistingRegionIds,
          ...columnValues(evaluationColumns(state)),
          revision: state.revision,
          workflowStartedAt: current?.workflowStartedAt ?? new Date(),
          updatedAt: new Date(),
        };
        if (current) {
          await em.nativeUpdate(Evaluation, { id }, row);
        } else {
          await em.insert(Evaluation, row as RequiredEntityData<Evaluation>);
        }
        // The row the closure records (revision 0) has no child rows yet: nothing to replace.
        const replace = (current?.revision ?? 0) > 0;
        if (state.team || replace) await writeTeam(em, id, state.team?.members ?? [], replace);
        if (state.onSiteChecks.length || replace) await writeChecks(em, id, 0, state.onSiteChecks, replace);
        if (state.assessment || replace) await writeFindings(em, id, state.assessment?.measureFindings ?? [], state.assessment?.accountabilityFindings ?? [], replace);
        if (replace) await em.nativeDelete(Referral, { evaluation: id });
        await writeReferrals(em, id, state.referrals);
        if (state.report) await writeReport(em, id, state.report);
        await createTasks(em, id, state.tasks);
        return audit(em, 'evaluation', id, state.revision, change, state);
      }));
      remember(id, written);
    },

    /**
     * Writes one change of an evaluation: only the columns and rows it altered, onto the revision before it, with
     * its audit entry, atomically. When this worker wrote the case's last entry (it runs the case), the change and
     * its entry go in one statement; otherwise in a transaction that reads the last entry first. A retry of a
     * change already written writes nothing; a read model that is not at the revision before (it lags behind) is a
     * GAP, and the workflow writes its whole snapshot instead.
     */
    async saveEvaluationChange(input: EvaluationChange): Promise<ChangeOutcome> {
      const id = input.evaluationId;
      const link = links.get(id);
      if (link?.revision === input.revision - 1 && oneStatement(input)) {
        const em = orm.em.fork();
        const entry = signEntry(auditKeyOf(em), 'evaluation', id, input.revision, input.change, input.stateHash, link);
        const statement = changeStatement(em, input, entry, link);
        const [moved] = await storeOrRefuse('the evaluation', () => prepared<{ written: number }>(em, statement.sql, statement.params));
        if (moved) {
          remember(id, moved.written ? entry : null);
          return 'WRITTEN';
        }
        // Not at the revision before, or another entry came after the one remembered: the transaction path decides.
        links.delete(id);
      }
      const [outcome, entry] = await storeOrRefuse('the evaluation', () => orm.em.fork().transactional(async (em): Promise<[ChangeOutcome, SignedEntry | null]> => {
        // One statement moves the row to this revision (only from the one before) and reads the trail's last
        // entry, which the audit chain links to: the row lock orders this evaluation's writers.
        const update = evaluationUpdate(em, input);
        const [moved] = await prepared<{ previous: { stateHash: string | null; hmac: string | null } | null }>(em, update.sql, update.params);
        if (!moved) {
          const current = await em.findOne(Evaluation, id, { fields: ['revision'] });
          if (!current || current.revision < input.revision - 1) return ['GAP', null];
          // Written before, and the answer lost: the entry is written with the row, this only makes sure.
          await audit(em, 'evaluation', id, input.revision, input.change, null, { stateHash: input.stateHash });
          return ['ALREADY_WRITTEN', null];
        }
        if (input.team) await writeTeam(em, id, input.team, true);
        if (input.onSiteChecks && !update.checksWritten) await writeChecks(em, id, input.onSiteChecks.from, input.onSiteChecks.checks, input.onSiteChecks.replace);
        if (input.findings) await writeFindings(em, id, input.findings.measures, input.findings.accountability, true);
        if (input.referrals) await writeReferrals(em, id, input.referrals);
        if (input.report && 'whole' in input.report) await writeReport(em, id, input.report.whole);
        if (input.report && 'approval' in input.report) {
          const { approvedAt, approvedBy, returns } = input.report.approval;
          await em.nativeUpdate(EvaluationReport, { evaluation: id }, { approvedAt: date(approvedAt), approvedBy: approvedBy ?? null, returns });
        }
        if (input.newTasks) await createTasks(em, id, input.newTasks);
        return ['WRITTEN', await audit(em, 'evaluation', id, input.revision, input.change, null, { stateHash: input.stateHash, previous: moved.previous })];
      }));
      remember(id, entry);
      return outcome;
    },

    /** Writes one rectification task's row from its workflow's snapshot; ordered and idempotent like above. */
    async saveTaskSnapshot(input: { state: TaskState; change?: ChangeRecord }): Promise<void> {
      const { state, change } = input;
      const t = state.task;
      await storeOrRefuse('the rectification task', () => orm.em.fork().transactional(async (em) => {
        const current = await em.findOne(RectificationTask, t.id, { lockMode: LockMode.PESSIMISTIC_WRITE });
        if (!current || current.revision < state.revision) {
          const row = {
            id: t.id,
            evaluation: state.evaluationId,
            measure: t.measureId,
            workflowId: t.workflowId,
            assignee: t.assignee,
            deadline: new Date(t.deadline),
            status: t.status,
            escalatedAt: date(state.escalatedAt),
            escalatedTo: state.escalatedAt ? state.organiserName : null,
            closedAt: date(t.closedAt),
            evidence: t.evidence ?? null,
            revision: state.revision,
          };
          if (current) await em.nativeUpdate(RectificationTask, { id: t.id }, row);
          else await em.insert(RectificationTask, row);
        }
        await audit(em, 'rectification-task', t.id, state.revision, change, state);
      }));
    },
  };
}
