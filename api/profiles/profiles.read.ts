import DataLoader from 'dataloader';
import { choiceBasis, profileByVersion, type ProfileChoice } from '../../domain/rule-profiles.js';
import type { Context } from '../context.js';
import type { EvaluationRow } from '../loaders.js';
import { casesUsingProfiles, readHeldProfiles, type HeldProfile } from './profile-store.js';
import { profileView, type RuleProfileView } from './profiles.type.js';

// Per request: the versions held (one statement), the cases using each (one, when asked), and the closure facts of
// the evaluations whose profile is shown (one per batch).

interface RequestCache {
  held?: Promise<HeldProfile[]>;
  using?: Promise<Map<string, number>>;
  closures?: DataLoader<string, { closedOn: string; regionCode: string } | null>;
}

const caches = new WeakMap<Context, RequestCache>();

function cacheOf(ctx: Context): RequestCache {
  let cache = caches.get(ctx);
  if (!cache) caches.set(ctx, (cache = {}));
  return cache;
}

export function heldProfiles(ctx: Context): Promise<HeldProfile[]> {
  const cache = cacheOf(ctx);
  return (cache.held ??= readHeldProfiles(ctx.em));
}

export function casesUsing(ctx: Context): Promise<Map<string, number>> {
  const cache = cacheOf(ctx);
  return (cache.using ??= casesUsingProfiles(ctx.em));
}

/** After a version is added, the rest of the request reads the versions anew. */
export function forgetProfiles(ctx: Context): void {
  caches.delete(ctx);
}

function closures(ctx: Context) {
  const cache = cacheOf(ctx);
  return (cache.closures ??= new DataLoader(async (ids: readonly string[]) => {
    const rows = await ctx.em.execute<{ id: string; closedOn: string; regionCode: string }[]>(
      `select e.id::text as id, to_char((r.closed_at at time zone 'UTC') + interval '8 hours', 'YYYY-MM-DD') as "closedOn", coalesce(g.code, '') as "regionCode"
       from evaluation e join investigation i on i.accident_id = e.accident_id join investigation_report r on r.investigation_id = i.id
       left join region g on g.id = e.organiser_region_id where e.id in (${ids.map(() => '?').join(', ')})`,
      [...ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => byId.get(id) ?? null);
  }));
}

/** `evaluation.profile`: the version the case carries, as PostgreSQL holds it, and why it was chosen. */
export async function evaluationProfile(ctx: Context, e: Pick<EvaluationRow, 'id' | 'profileId' | 'profileVersion'>): Promise<RuleProfileView> {
  const [held, closure] = await Promise.all([heldProfiles(ctx), closures(ctx).load(e.id)]);
  const profile = profileByVersion(e.profileId, e.profileVersion, held.map((h) => h.profile));
  if (!profile) throw new Error(`rule profile ${e.profileId} ${e.profileVersion} is not held`);
  const choice: ProfileChoice | null = closure
    ? { profile, regionCode: closure.regionCode, closedOn: closure.closedOn, basis: choiceBasis(profile, closure.regionCode || '(the State Council)', closure.closedOn) }
    : null;
  return profileView(profile, choice);
}
