import { chinaDate, chinaMidnight } from '../../domain/calendar.js';
import { deadlinePreview, type DeadlinePreview } from '../../domain/deadline-preview.js';
import { badInput } from '../../domain/errors.js';
import type { EvaluationCase } from '../../domain/evaluation.js';
import { organiserOf } from '../../domain/organiser.js';
import { choiceBasis, chooseProfile, profileByVersion, type EvaluationRuleProfile, type ProfileChoice } from '../../domain/rule-profiles.js';
import { isRecordId, notFound } from '../../domain/text.js';
import { viewOf } from '../access.js';
import type { Context } from '../context.js';
import { loadEvaluationCase, regionPath } from '../evaluation/case-closure.js';
import type { RegionRow } from '../loaders.js';
import type { DeadlinePreviewInput } from './profiles.inputs.js';
import { dated, profileView, type DeadlinePreviewType, type DeadlineScheduleType } from './profiles.type.js';
import { heldProfiles } from './profiles.read.js';

const NATIONAL_OFFICE = '国务院安全生产委员会办公室';

function chinaDay(field: string, value: string): Date {
  const parsed = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!parsed || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) throw badInput(field, 'must be a date YYYY-MM-DD');
  return chinaMidnight(value);
}

/** A China date as an instant no earlier than `floor` when it is floor's own day (the window opens mid-day). */
function dayFrom(field: string, value: string | null | undefined, floor: Date): Date | undefined {
  if (!value) return undefined;
  const at = chinaDay(field, value);
  return at < floor && chinaDate(floor) === value ? floor : at;
}

function scheduleOf(preview: DeadlinePreview, choice: ProfileChoice | null): DeadlineScheduleType {
  return {
    profile: profileView(preview.profile, choice),
    opensAt: new Date(preview.opensAt),
    dueAt: new Date(preview.dueAt),
    window: preview.window.map(dated),
    team: preview.team && { formedAt: new Date(preview.team.formedAt), assumed: preview.team.assumed, dueAt: new Date(preview.team.dueAt), events: preview.team.events.map(dated) },
    task: { startsAt: new Date(preview.task.startsAt), assumed: preview.task.assumed, deadline: new Date(preview.task.deadline), events: preview.task.events.map(dated) },
  };
}

interface EvaluationFacts {
  profileId: string;
  profileVersion: string;
  teamFormedAt: Date | string | null;
  publishedAt: Date | string | null;
  filedAt: Date | string | null;
}

const asDate = (v: Date | string | null): Date | null => (v === null ? null : new Date(v));

/** The case as its workflow has it (closed) or would (not closed yet: closed on `closedOn`, or now). */
async function registeredCase(ctx: Context, accidentId: string, input: DeadlinePreviewInput, profiles: readonly EvaluationRuleProfile[]) {
  if (!isRecordId(accidentId) || !(await viewOf(ctx, accidentId))) throw notFound('accidentId');
  const [evaluation] = await ctx.em.execute<EvaluationFacts[]>(
    `select profile_id as "profileId", profile_version as "profileVersion", team_formed_at as "teamFormedAt", published_at as "publishedAt", filed_at as "filedAt"
     from evaluation where accident_id = ?`,
    [accidentId],
  );
  if (evaluation) {
    if (input.closedOn) throw badInput('closedOn', 'the case is closed already: its dates follow its closure');
    const evaluationCase = await loadEvaluationCase(ctx.em, accidentId, { id: evaluation.profileId, version: evaluation.profileVersion });
    const published = asDate(evaluation.publishedAt);
    const filed = asDate(evaluation.filedAt);
    return {
      evaluationCase,
      closed: true,
      teamFormedAt: asDate(evaluation.teamFormedAt) ?? undefined,
      followUpStartsAt: published && filed ? (published > filed ? published : filed) : undefined,
      basisProfiles: profiles,
    };
  }
  const closedAt = input.closedOn ? chinaDay('closedOn', input.closedOn) : new Date();
  return { evaluationCase: await loadEvaluationCase(ctx.em, accidentId, undefined, closedAt), closed: false, basisProfiles: profiles };
}

async function hypotheticalCase(ctx: Context, input: DeadlinePreviewInput, profiles: readonly EvaluationRuleProfile[]): Promise<{ evaluationCase: EvaluationCase; closed: boolean; basis: string }> {
  const h = input.hypothetical!;
  const load = async (id: string) => (isRecordId(id) ? await ctx.loaders.regionOf(id) : null);
  const location = await regionPath(load, h.locationRegionId);
  if (!location.length) throw notFound('hypothetical.locationRegionId');
  const enterpriseHome = await regionPath(load, h.enterpriseHomeRegionId);
  if (!enterpriseHome.length) throw notFound('hypothetical.enterpriseHomeRegionId');
  const decision = organiserOf({ level: h.level, location, enterpriseHome, escalated: h.escalated });
  const organiser = decision.organiser ? await load(decision.organiser.id) : null;
  const upper = organiser?.parent ? await load(organiser.parent.id) : null;
  const closedAt = input.closedOn ? chinaDay('closedOn', input.closedOn) : new Date();
  const profile = chooseProfile(organiser?.code ?? '', chinaDate(closedAt), profiles).profile;
  return {
    closed: false,
    basis: decision.basis,
    evaluationCase: {
      evaluationId: 'preview',
      accidentId: 'preview',
      title: '',
      closedAt: closedAt.toISOString(),
      organiserRegionId: organiser?.id ?? null,
      organiserRegionCode: organiser?.code ?? '',
      organiserName: organiser?.safetyOfficeName ?? NATIONAL_OFFICE,
      upperOfficeName: upper?.safetyOfficeName ?? NATIONAL_OFFICE,
      upperRegionCode: upper?.code ?? '',
      locationRegionCode: location.at(-1)!.code,
      assistingRegionIds: decision.assisting.map((r) => r.id),
      profile,
      measures: [],
      accountabilityItems: [],
      investigatingDepartments: [],
    },
  };
}

/** The deadline preview of a registered case or a hypothetical one (DeadlinePreviewInput). */
export async function previewDeadlines(ctx: Context, input: DeadlinePreviewInput): Promise<DeadlinePreviewType> {
  if (Boolean(input.accidentId) === Boolean(input.hypothetical)) throw badInput('accidentId', 'give either accidentId or hypothetical');
  const profiles = (await heldProfiles(ctx)).map((h) => h.profile);
  const other = input.otherVersion ? profileByVersion(input.otherVersion.id, input.otherVersion.version, profiles) : undefined;
  if (input.otherVersion && !other) throw notFound('otherVersion');
  const found = input.accidentId ? await registeredCase(ctx, input.accidentId, input, profiles) : await hypotheticalCase(ctx, input, profiles);
  const c = found.evaluationCase;
  const recorded = 'teamFormedAt' in found ? found : { teamFormedAt: undefined, followUpStartsAt: undefined };
  const preview = (profile: EvaluationRuleProfile): DeadlinePreview => {
    const withProfile = { ...c, profile };
    const opensAt = new Date(deadlinePreview(withProfile).opensAt);
    const teamFormedAt = dayFrom('teamFormedOn', input.teamFormedOn, opensAt) ?? recorded.teamFormedAt;
    const followUpStartsAt = dayFrom('followUpStartsOn', input.followUpStartsOn, teamFormedAt ?? opensAt) ?? recorded.followUpStartsAt;
    return deadlinePreview(withProfile, { teamFormedAt, followUpStartsAt });
  };
  const closedOn = chinaDate(new Date(c.closedAt));
  const choice: ProfileChoice = { profile: c.profile, regionCode: c.organiserRegionCode, closedOn, basis: choiceBasis(c.profile, c.organiserRegionCode || '(the State Council)', closedOn) };
  const organiserRegion = c.organiserRegionId ? await ctx.loaders.regionOf(c.organiserRegionId) : null;
  const assisting = await Promise.all(c.assistingRegionIds.map((id) => ctx.loaders.regionOf(id)));
  const decisionBasis =
    'basis' in found
      ? found.basis
      : c.organiserRegionId
        ? `${organiserRegion?.name ?? c.organiserName} organises (001 §3-§4)${c.assistingRegionIds.length ? '; the enterprise\'s home assists' : ''}`
        : '特别重大 accidents are evaluated under the State Council';
  return {
    closedAt: new Date(c.closedAt),
    closed: found.closed,
    organiserRegion: organiserRegion ?? null,
    organiserName: c.organiserName,
    organiserBasis: decisionBasis,
    assistingRegions: assisting.filter((r): r is RegionRow => Boolean(r)),
    schedule: scheduleOf(preview(c.profile), choice),
    otherVersion: other ? scheduleOf(preview(other), null) : null,
  };
}
