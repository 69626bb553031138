import type { Client } from '@temporalio/client';
import type { EntityManager } from '@mikro-orm/postgresql';
import { evaluationWorkflowId } from '../../domain/case.js';
import { chinaDate } from '../../domain/calendar.js';
import type { AccountabilityKind } from '../../domain/case.js';
import { DomainError } from '../../domain/errors.js';
import { initialEvaluationState, type Actor, type EvaluationCase, type EvaluationState } from '../../domain/evaluation.js';
import { organiserOf, type AccidentLevel } from '../../domain/organiser.js';
import type { RegionLevel, RegionPath, RegionRef } from '../../domain/regions.js';
import { profileByVersion, profileFor } from '../../domain/rule-profiles.js';
import { logger } from '../../infra/logger.js';
import { auditKeyOf, ENTRY_COLUMNS, entryValues, signEntry, stateHash } from '../../activities/audit.js';
import { HELD_PROFILE_STAMPS, PROFILE_UNCHANGED, stampedProfilesAt, type StampedProfile } from '../profiles/profile-store.js';
import { SYSTEM_ACTOR } from '../../workflows/failures.js';
import { Evaluation } from '../../schema/entities/index.js';
import { READ_TABLES, selectFrom } from '../loaders.js';
import { prepared } from '../../infra/prepared.js';
import type { EvaluationWorkflowInput } from '../../workflows/evaluation/messages.js';
import { DUE_AT, OVERDUE, REGION_CODE, STAGE } from '../../workflows/search-attributes.js';

const NATIONAL_OFFICE = '国务院安全生产委员会办公室';

/** A region as a path walk needs it: an entity, a row of the region tree, or one read with a case. */
export interface RegionNode extends RegionRef {
  parent?: { id: string } | null;
}

/** Reads one region: an entity manager in a transaction, or a request's DataLoader. */
export type RegionLoader = (id: string) => Promise<RegionNode | null>;

/** A region and its ancestors, province first. */
export async function regionPath(load: RegionLoader, regionId: string): Promise<RegionPath> {
  const path: RegionRef[] = [];
  let current = await load(regionId);
  while (current) {
    path.unshift({ id: current.id, code: current.code, name: current.name, level: current.level });
    current = current.parent ? await load(current.parent.id) : null;
  }
  return path;
}

interface RegionFact extends RegionRef {
  parentId: string | null;
  safetyOfficeName: string;
}

/** What closing a case and starting its evaluation read of it: one statement (`readCase`). */
export interface CaseFacts {
  id: string;
  title: string;
  level: AccidentLevel;
  locationRegionId: string;
  enterpriseId: string;
  homeRegionId: string;
  investigationId: string | null;
  escalated: boolean | null;
  delegatedRegionId: string | null;
  reportId: string | null;
  approvedAt: Date | null;
  closedAt: Date | null;
  measures: { id: string; seq: number; text: string; responsibleUnits: string[] }[];
  accountabilityItems: { id: string; kind: AccountabilityKind; subject: string }[];
  departments: { id: string; name: string }[];
  /** The location's, the enterprise home's and the delegated region's paths up to the province. */
  regions: RegionFact[];
  /** The last entry of the case's own trail, which closure's entry links to. */
  lastEntry: { revision: number; stateHash: string | null; hmac: string | null } | null;
  /** The rule profile versions held, with the stamps a closure's write checks them by. */
  profiles: readonly StampedProfile[];
}

// The case graph, and every region the organiser rules walk, in one statement: closure used to read it in some
// twenty (the graph twice, then the region tree one level at a time).
const CASE_SQL = `select a.id, a.title, a.level, a.location_region_id as "locationRegionId", a.enterprise_id as "enterpriseId",
    en.home_region_id as "homeRegionId", i.id as "investigationId", i.escalated, i.delegated_evaluation_region_id as "delegatedRegionId",
    r.id as "reportId", r.approved_at as "approvedAt", r.closed_at as "closedAt",
    coalesce((select json_agg(json_build_object('id', m.id, 'seq', m.seq, 'text', m.text, 'responsibleUnits', m.responsible_units) order by m.seq, m.id)
      from measure m where m.report_id = r.id), '[]') as measures,
    coalesce((select json_agg(json_build_object('id', x.id, 'kind', x.kind, 'subject', x.subject) order by x.seq, x.id)
      from accountability_item x where x.report_id = r.id), '[]') as "accountabilityItems",
    coalesce((select json_agg(json_build_object('id', d.id, 'name', d.name) order by d.name, d.id)
      from investigation_department p join department d on d.id = p.department_id where p.investigation_id = i.id), '[]') as departments,
    (with recursive up as (
       select g.id, g.code, g.name, g.level, g.parent_id, g.safety_office_name from region g
         where g.id in (a.location_region_id, en.home_region_id, i.delegated_evaluation_region_id)
       union select p.id, p.code, p.name, p.level, p.parent_id, p.safety_office_name from region p join up on p.id = up.parent_id)
     select json_agg(json_build_object('id', id, 'code', code, 'name', name, 'level', level, 'parentId', parent_id, 'safetyOfficeName', safety_office_name))
     from up) as regions,
    (select json_build_object('revision', e.revision, 'stateHash', e.state_hash, 'hmac', e.hmac) from audit_entry e
      where e.subject_type = 'accident' and e.subject_id = a.id::text order by e.revision desc limit 1) as "lastEntry",
    ${HELD_PROFILE_STAMPS} as "profileStamps"
  from accident a
  join enterprise en on en.id = a.enterprise_id
  left join investigation i on i.accident_id = a.id
  left join investigation_report r on r.investigation_id = i.id
  where a.id = ?`;

type RawFacts = Omit<CaseFacts, 'profiles'> & { profileStamps: string | null };

/** The case's facts, as they stand (no lock: closure's write checks that nothing it read has moved). */
async function readCase(em: EntityManager, accidentId: string): Promise<CaseFacts | null> {
  const [facts] = await prepared<RawFacts>(em, CASE_SQL, [accidentId]);
  if (!facts) return null;
  const { profileStamps, ...read } = facts;
  // Raw rows carry timestamps as the driver gives them: make them Dates.
  return { ...read, approvedAt: asDate(read.approvedAt), closedAt: asDate(read.closedAt), profiles: await stampedProfilesAt(em, profileStamps) };
}

function closable(facts: CaseFacts | null, accidentId: string): CaseFacts {
  if (!facts) throw new DomainError('NOT_FOUND', `no accident ${accidentId}`);
  if (!facts.reportId || !facts.approvedAt) throw new DomainError('INVALID_TRANSITION', 'the accident has no approved investigation report yet');
  return facts;
}

const asDate = (value: Date | string | null): Date | null => (value === null ? null : value instanceof Date ? value : new Date(value));

/** What the evaluation workflow needs of a closed case: who organises it and who assists (001 §3-§4), its rules. */
function evaluationCaseOf(facts: CaseFacts, profileRef?: { id: string; version: string }): EvaluationCase {
  if (!facts.closedAt) throw new DomainError('INVALID_TRANSITION', 'the case is not closed');
  const regions = new Map(facts.regions.map((r) => [r.id, r]));
  const path = (id: string): RegionPath => {
    const walk: RegionRef[] = [];
    for (let r = regions.get(id); r && walk.length < 16; r = r.parentId ? regions.get(r.parentId) : undefined) {
      walk.unshift({ id: r.id, code: r.code, name: r.name, level: r.level as RegionLevel });
    }
    return walk;
  };
  const decision = organiserOf({
    level: facts.level,
    location: path(facts.locationRegionId),
    enterpriseHome: path(facts.homeRegionId),
    escalated: facts.escalated ?? false,
    delegatedTo: facts.delegatedRegionId ? path(facts.delegatedRegionId).at(-1) : undefined,
  });
  const organiser = decision.organiser ? regions.get(decision.organiser.id) : undefined;
  const upper = organiser?.parentId ? regions.get(organiser.parentId) : undefined;
  // The versions PostgreSQL holds (api/profiles): a version an administrator added applies from its effective date.
  const profiles = facts.profiles.map((p) => p.profile);
  const profile = profileRef ? profileByVersion(profileRef.id, profileRef.version, profiles) : profileFor(organiser?.code ?? '', chinaDate(facts.closedAt), profiles);
  if (!profile) throw new DomainError('NOT_FOUND', `rule profile ${profileRef?.id} ${profileRef?.version} is not held`);
  return {
    evaluationId: facts.id,
    accidentId: facts.id,
    title: facts.title,
    closedAt: facts.closedAt.toISOString(),
    organiserRegionId: organiser?.id ?? null,
    organiserRegionCode: organiser?.code ?? '',
    organiserName: organiser?.safetyOfficeName ?? NATIONAL_OFFICE,
    upperOfficeName: upper?.safetyOfficeName ?? NATIONAL_OFFICE,
    upperRegionCode: upper?.code ?? '',
    locationRegionCode: regions.get(facts.locationRegionId)?.code ?? '',
    enterpriseId: facts.enterpriseId,
    assistingRegionIds: decision.assisting.map((r) => r.id),
    profile,
    measures: facts.measures.map((m) => ({ id: m.id, seq: m.seq, text: m.text, responsibleUnits: m.responsibleUnits })),
    accountabilityItems: facts.accountabilityItems,
    investigatingDepartments: facts.departments,
  };
}

/**
 * What the evaluation workflow needs of a closed case, read from the case graph. `closedAt`: as if the case closed
 * then (the deadline preview of a case not yet closed).
 */
export async function loadEvaluationCase(em: EntityManager, accidentId: string, profileRef?: { id: string; version: string }, closedAt?: Date): Promise<EvaluationCase> {
  const facts = closable(await readCase(em, accidentId), accidentId);
  return evaluationCaseOf(closedAt ? { ...facts, closedAt } : facts, profileRef);
}

/** What this process's closure of a case wrote: its first state and that state's hash, and the evaluation row. */
interface Closure {
  state: EvaluationState;
  hash: string;
  row: Record<string, unknown>;
}

const closures = new WeakMap<EvaluationCase, Closure>();

/** The evaluation row `closeCase` wrote for this case (raw columns of READ_TABLES.evaluation, as `selectFrom` names them). */
export function closedRow(evaluationCase: EvaluationCase): Record<string, unknown> | undefined {
  return closures.get(evaluationCase)?.row;
}

// A write that found the case moved since it was read (closed, corrected, its rule profile replaced) is tried
// again from the read, a few times; inside a caller's transaction it cannot be, and the refusal ends it.
const ATTEMPTS = 4;
const REVISION_TAKEN = 'audit_entry_subject_type_subject_id_revision_unique';

/**
 * 结案: closes the case and records its evaluation (its first snapshot, revision 1, and both trails' entries) in
 * one statement, after one statement that reads the case. Nothing is locked in between: the write holds only
 * while what was read stands (the report still open, the trail's last entry still last, the rule profile version
 * unchanged), and takes the case row as corrections do (api/intake), so a correction waits and then sees the case
 * closed. `check` sees the case as read before anything is decided (the API authorizes there). The workflow is
 * started afterwards (`startWorkflowOnly`); an evaluation left unstarted (a crash in between) is started by
 * `startPendingEvaluations` when a worker boots.
 */
export async function closeCase(
  em: EntityManager,
  accidentId: string,
  closedAt: Date,
  actor: Actor,
  idempotencyKey?: string,
  check?: (facts: CaseFacts | null) => Promise<void>,
): Promise<EvaluationCase> {
  if (closedAt.getTime() > Date.now() + 60_000) throw new DomainError('BAD_USER_INPUT', 'closedAt: a case cannot be closed in the future', 'closedAt');
  const key = auditKeyOf(em);
  for (let attempt = 1; ; attempt++) {
    const read = await readCase(em, accidentId);
    await check?.(read);
    const facts = closable(read, accidentId);
    if (facts.closedAt) throw new DomainError('INVALID_TRANSITION', `the case was already closed on ${chinaDate(facts.closedAt)}`);
    if (closedAt < facts.approvedAt!) throw new DomainError('BAD_USER_INPUT', 'closedAt: a case closes after its report is approved', 'closedAt');
    const evaluationCase = evaluationCaseOf({ ...facts, closedAt });
    const held = facts.profiles.find((p) => p.profile.id === evaluationCase.profile.id && p.profile.version === evaluationCase.profile.version)!;
    const initial = initialEvaluationState(evaluationCase);
    const initialHash = stateHash(initial);
    const at = new Date().toISOString();
    const change = { actor, action: 'CLOSE_CASE', stageBefore: null, stageAfter: 'CLOSED', at, payload: { closedAt: closedAt.toISOString(), ...(idempotencyKey ? { idempotencyKey } : {}) } };
    const last = facts.lastEntry;
    // The case's own trail (as api/intake/case-audit.ts appends to it) goes on from its last entry; the
    // evaluation's starts here.
    const caseEntry = entryValues(signEntry(key, 'accident', accidentId, (last?.revision ?? 0) + 1, change, stateHash(evaluationCase), last));
    const startEntry = entryValues(
      signEntry(key, 'evaluation', evaluationCase.evaluationId, initial.revision, { actor: SYSTEM_ACTOR, action: 'START', stageBefore: null, stageAfter: initial.stage, at }, initialHash, null),
    );
    // The workflow, told so at start (`startRecorded`), writes no first snapshot: the read model never lags behind
    // a burst of closures. A revision a correction took meanwhile refuses the case's entry (unique), and all of it.
    let rows: Record<string, unknown>[];
    try {
      rows = await prepared(
        em,
        `with locked as (select 1 from "accident" where "id" = ? for update),
          report as (update "investigation_report" set "closed_at" = ?::timestamptz
            where "id" = ? and "closed_at" is null and exists (select 1 from locked) and ${PROFILE_UNCHANGED} returning "id"),
          case_entry as (insert into "audit_entry" (${ENTRY_COLUMNS}) select ${caseEntry.row} from report),
          start_entry as (insert into "audit_entry" (${ENTRY_COLUMNS}) select ${startEntry.row} from report
            on conflict ("subject_type", "subject_id", "revision") do nothing),
          written as (insert into "evaluation" ("id", "accident_id", "workflow_id", "profile_id", "profile_version", "organiser_region_id",
              "assisting_region_ids", "stage", "revision", "opens_at", "due_at", "overdue", "overdue_clocks")
            select ?, ?, ?, ?, ?, ?, array(select jsonb_array_elements_text(?::jsonb)), ?, ?::int, ?::timestamptz, ?::timestamptz, false, '{}' from report
            returning *)
        ${selectFrom({ ...READ_TABLES.evaluation, table: 'written' })}`,
        [
          accidentId,
          closedAt.toISOString(),
          facts.reportId!,
          held.profile.id,
          held.profile.version,
          held.stamp,
          ...caseEntry.params,
          ...startEntry.params,
          evaluationCase.evaluationId,
          accidentId,
          evaluationWorkflowId(accidentId),
          evaluationCase.profile.id,
          evaluationCase.profile.version,
          evaluationCase.organiserRegionId,
          JSON.stringify(evaluationCase.assistingRegionIds),
          initial.stage,
          initial.revision,
          initial.opensAt,
          initial.dueAt,
        ],
      );
    } catch (error) {
      if ((error as { constraint?: string }).constraint !== REVISION_TAKEN || em.isInTransaction() || attempt === ATTEMPTS) throw error;
      continue;
    }
    if (rows[0]) {
      closures.set(evaluationCase, { state: initial, hash: initialHash, row: rows[0] });
      return evaluationCase;
    }
    // Closed meanwhile (the next read says so), or its profile version replaced (the next read chooses again).
    if (em.isInTransaction() || attempt === ATTEMPTS) throw new DomainError('INVALID_TRANSITION', 'the case changed while it was being closed: read it again');
  }
}

/**
 * Starts (or finds, when already running) the evaluation workflow of a closed case, and records that it runs. Its
 * search attributes are set here, with the start, so the workflow's first task writes none. `startRecorded`: the
 * closure wrote the first snapshot (`closeCase` does; an evaluation closed by an earlier version may not have).
 * `markLater`: the record is written with other closures' within MARK_DELAY_MS, not waited for (`markStarted`).
 */
export async function startEvaluationWorkflow(
  em: EntityManager,
  client: Client,
  taskQueue: string,
  evaluationCase: EvaluationCase,
  options: StartOptions & { markLater?: boolean } = {},
): Promise<void> {
  const { markLater, ...start } = options;
  await startWorkflowOnly(client, taskQueue, evaluationCase, start);
  const marked = markStarted(em, evaluationCase.evaluationId, !markLater);
  if (!markLater) await marked;
}

type StartOptions = Pick<EvaluationWorkflowInput, 'continueAsNewAfterEvents'> & { startRecorded?: boolean };

const log = logger('case-closure');

interface Marks {
  em: EntityManager;
  ids: string[];
  done: (() => void)[];
  running: Promise<void> | null;
  timer: NodeJS.Timeout | null;
}

// One queue of marks per database (tests run several ORMs in one process).
const marks = new WeakMap<object, Marks>();

/** How long a closure's mark waits for others to go in the same statement. */
const MARK_DELAY_MS = 200;

/**
 * Records that an evaluation's workflow runs (`workflow_started_at`, where still null), with the marks of other
 * starts in one statement: those that come while a statement runs go in the next, and a mark not waited for
 * (`now` false: a closure's) waits up to MARK_DELAY_MS for more. A mark that is not written (the statement failed,
 * the process ended first) costs only a start that finds the workflow running, when a worker boots
 * (`startPendingEvaluations`); `writeStartMarks` writes those waiting when the API stops.
 */
function markStarted(em: EntityManager, evaluationId: string, now: boolean): Promise<void> {
  const key = em.getDriver();
  let queue = marks.get(key);
  if (!queue) marks.set(key, (queue = { em: em.fork(), ids: [], done: [], running: null, timer: null }));
  const waiting = new Promise<void>((resolve) => queue.done.push(resolve));
  queue.ids.push(evaluationId);
  if (now) void flush(queue);
  else if (!queue.timer && !queue.running) queue.timer = setTimeout(() => void flush(queue), MARK_DELAY_MS).unref();
  return waiting;
}

/** Writes the marks of this database's starts that are still waiting (the API's stop). */
export async function writeStartMarks(em: EntityManager): Promise<void> {
  const queue = marks.get(em.getDriver());
  if (queue) await flush(queue);
}

function flush(queue: Marks): Promise<void> {
  if (queue.timer) clearTimeout(queue.timer);
  queue.timer = null;
  return (queue.running ??= writeMarks(queue).finally(() => {
    queue.running = null;
    // Marks that came as the last statement ended.
    if (queue.ids.length) void flush(queue);
  }));
}

async function writeMarks(queue: Marks): Promise<void> {
  while (queue.ids.length) {
    const ids = queue.ids.splice(0);
    const done = queue.done.splice(0);
    try {
      await prepared(queue.em, `update "evaluation" set "workflow_started_at" = ?::timestamptz where "id" = any(?::uuid[]) and "workflow_started_at" is null`, [
        new Date().toISOString(),
        ids,
      ]);
    } catch (error) {
      log.warn({ err: error, evaluationIds: ids }, 'workflow starts not recorded; the next worker start finds them running');
    }
    for (const resolve of done) resolve();
  }
}

/** The start of `startEvaluationWorkflow` without recording it (the benchmarks time the start alone). */
export async function startWorkflowOnly(client: Client, taskQueue: string, evaluationCase: EvaluationCase, options: StartOptions = {}): Promise<void> {
  const { startRecorded, ...input } = options;
  const first = closures.get(evaluationCase);
  const initial = first?.state ?? initialEvaluationState(evaluationCase);
  await client.workflow.start('accidentEvaluationWorkflow', {
    taskQueue,
    workflowId: evaluationWorkflowId(evaluationCase.accidentId),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [{ case: evaluationCase, ...input, ...(startRecorded ? { startRecorded: first?.hash ?? stateHash(initial) } : {}) }],
    typedSearchAttributes: [
      { key: STAGE, value: initial.stage },
      { key: REGION_CODE, value: evaluationCase.organiserRegionCode },
      { key: DUE_AT, value: new Date(initial.dueAt) },
      { key: OVERDUE, value: false },
    ],
  });
}

/** Starts the workflow of every evaluation recorded without one. Returns how many were started. */
export async function startPendingEvaluations(em: EntityManager, client: Client, taskQueue: string): Promise<number> {
  const pending = await em.find(Evaluation, { workflowStartedAt: null }, { orderBy: { createdAt: 'asc' } });
  for (const evaluation of pending) {
    const evaluationCase = await loadEvaluationCase(em, evaluation.accident.id, { id: evaluation.profileId, version: evaluation.profileVersion });
    await startEvaluationWorkflow(em, client, taskQueue, evaluationCase, { startRecorded: evaluation.revision === 1 });
  }
  return pending.length;
}
