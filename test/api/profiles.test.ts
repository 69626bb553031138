import { verifyAuditChain } from '../../activities/audit.js';
import { addDays, addMonths, chinaDate, chinaMidnight } from '../../domain/calendar.js';
import { AuditEntry } from '../../schema/entities/index.js';
import { graphqlClient } from '../helpers/api.js';
import { insertDemoWorld, seededStack } from '../helpers/stack.js';

// Rule profiles as data, through GraphQL alone: an administrator loads a version, cases pick it up from its date,
// running cases keep theirs, and the deadline preview shows each date a case would run on.
const stack = seededStack(
  'profiles-e2e',
  (em) =>
    insertDemoWorld(
      em,
      [
        { id: 'shanxi-admin', name: '山西省应急管理厅 系统管理员 韩某', grants: [{ role: 'ADMINISTRATOR', regionCode: '140000' }] },
        { id: 'lvliang-admin', name: '吕梁市应急管理局 系统管理员 冯某', grants: [{ role: 'ADMINISTRATOR', regionCode: '141100' }] },
      ],
      new Date(),
    ),
  [],
);

const today = chinaDate(new Date());
const tomorrow = chinaDate(addDays(new Date(), 1));

/** Shanxi's rules of 2026-48 as a new version, effective tomorrow, with a 20-day team limit. */
const newShanxiVersion = (extra: Record<string, unknown> = {}) => ({
  id: 'shanxi',
  version: '2026-99',
  document: '晋安办发〔2026〕99号',
  source: '001 §3-§11; team limit from the new provincial notice',
  jurisdictionPrefix: '14',
  effectiveFrom: tomorrow,
  window: { opensAfterMonths: 10, dueAfterMonths: 12 },
  teamDays: 20,
  reminderDaysBefore: { window: [30, 7, 1], team: [7, 1], task: [7, 1] },
  requiredSections: ['ORGANISATION', 'ACCOUNTABILITY', 'MEASURES', 'CONCLUSION'],
  requiredLists: [],
  requiresMemberMeeting: false,
  rectificationDays: 90,
  clauses: [{ rule: 'teamDays', clause: '晋安办发〔2026〕99号 §4' }],
  ...extra,
});

const ADD = `mutation($in: RuleProfileVersionInput!) { addRuleProfileVersion(input: $in) { change profile { id version effectiveFrom teamDays casesUsing clauses { rule clause } } } }`;
const SCHEDULE = `profile { id version chosenFor { jurisdictionPrefix closedOn basis } } opensAt dueAt window { key kind at on } team { formedAt assumed dueAt events { key on } } task { deadline events { key on } }`;
const PREVIEW = `query($in: DeadlinePreviewInput!) { deadlinePreview(input: $in) { closedAt closed organiserName organiserBasis organiserRegion { name code } assistingRegions { name }
  schedule { ${SCHEDULE} } otherVersion { ${SCHEDULE} } } }`;

test('should let a Shanxi administrator add a version effective tomorrow, refuse others, and record it in the audit trail', async () => {
  const admin = await graphqlClient(stack.api.url, 'shanxi-admin');
  const listed = await (await graphqlClient(stack.api.url))(`{ ruleProfiles { id version jurisdictionPrefix effectiveFrom effectiveUntil } }`);
  expect(listed.data!.ruleProfiles).toEqual(
    expect.arrayContaining([
      { id: 'shanxi', version: '2021-119', jurisdictionPrefix: '14', effectiveFrom: '2021-01-01', effectiveUntil: '2026-04-16' },
      { id: 'qilin', version: '2022', jurisdictionPrefix: '530302', effectiveFrom: '2022-01-01', effectiveUntil: null },
    ]),
  );

  // Only an administrator whose region covers the jurisdiction: not the public, not Yunnan's, not a Shanxi city's.
  for (const who of [undefined, 'yunnan-admin', 'lvliang-admin', 'lvliang-office']) {
    const refused = await (await graphqlClient(stack.api.url, who))(ADD, { in: newShanxiVersion() });
    expect({ who, code: refused.errors?.[0]?.extensions?.code }).toEqual({ who, code: 'FORBIDDEN' });
  }

  const added = await admin(ADD, { in: newShanxiVersion() });
  expect(added.errors).toBeUndefined();
  expect(added.data!.addRuleProfileVersion).toEqual({
    change: 'ADD',
    profile: { id: 'shanxi', version: '2026-99', effectiveFrom: tomorrow, teamDays: 20, casesUsing: 0, clauses: [{ rule: 'teamDays', clause: '晋安办发〔2026〕99号 §4' }] },
  });
  expect((await admin(ADD, { in: newShanxiVersion() })).data!.addRuleProfileVersion.change).toBe('UNCHANGED');

  const trail = await stack.db.orm.em.fork().find(AuditEntry, { subjectType: 'rule-profile' }, { orderBy: { id: 'asc' } });
  expect(trail.map((e) => [e.subjectId, e.revision, e.action, e.actorId, e.actorRole])).toEqual([['shanxi/2026-99', 1, 'ADD_RULE_PROFILE_VERSION', 'shanxi-admin', 'ADMINISTRATOR']]);
  expect(await verifyAuditChain(stack.db.orm.em.fork(), stack.db.auditKey, 'all')).toMatchObject({ ok: true });
});

test('should refuse overlapping and malformed versions with typed errors naming the field', async () => {
  const admin = await graphqlClient(stack.api.url, 'shanxi-admin');
  const overlap = await admin(ADD, { in: newShanxiVersion({ version: '2026-100', document: '晋安办发〔2026〕100号' }) });
  expect(overlap.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'effectiveFrom' });
  expect(overlap.errors?.[0]?.message).toContain('overlaps shanxi 2026-99');

  const refusals: [Record<string, unknown>, string][] = [
    [{ window: { opensAfterMonths: 12, dueAfterMonths: 10 } }, 'window.dueAfterMonths'],
    [{ effectiveFrom: '2026-02-30' }, 'effectiveFrom'],
    [{ effectiveFrom: today < '2026-12-01' ? '2026-01-01' : '2026-12-01', version: 'past' }, 'effectiveFrom'],
    [{ jurisdictionPrefix: '14x' }, 'jurisdictionPrefix'],
    [{ reminderDaysBefore: { window: [30, 30], team: [], task: [] } }, 'reminderDaysBefore.window'],
    [{ clauses: [{ rule: 'holidays', clause: '—' }] }, 'clauses[0].rule'],
    // The API's own text check names the variable's path.
    [{ document: '晋安办发\u0000' }, 'in.document'],
  ];
  for (const [extra, field] of refusals) {
    const refused = await admin(ADD, { in: newShanxiVersion({ version: '2027-1', effectiveFrom: '2027-06-01', ...extra }) });
    expect({ field, extensions: refused.errors?.[0]?.extensions }).toEqual({ field, extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field }) });
  }
  // Nothing refused was stored.
  const versions = (await admin(`{ ruleProfiles { id version } }`)).data!.ruleProfiles.map((p: { version: string }) => p.version);
  expect(versions.filter((v: string) => v.startsWith('2027') || v === '2026-100' || v === 'past')).toEqual([]);
});

test('should keep the old version for a case closed today and show why, and refuse to change a version a case uses', async () => {
  const office = await graphqlClient(stack.api.url, 'lvliang-office');
  const closed = await office(
    `mutation($in: CloseAccidentCaseInput!) { closeAccidentCase(input: $in) { id opensAt dueAt profile { id version chosenFor { jurisdictionPrefix closedOn basis } } } }`,
    { in: { accidentId: stack.world.lvliangCase } },
  );
  expect(closed.errors).toBeUndefined();
  const evaluation = closed.data!.closeAccidentCase;
  expect(evaluation.profile).toMatchObject({ id: 'shanxi', version: '2026-48', chosenFor: { jurisdictionPrefix: '14', closedOn: today } });
  expect(evaluation.profile.chosenFor.basis).toContain('organiser 141100');

  // The preview of the closed case is the dates its workflow runs on.
  const preview = await office(PREVIEW, { in: { accidentId: stack.world.lvliangCase, otherVersion: { id: 'shanxi', version: '2026-99' } } });
  expect(preview.errors).toBeUndefined();
  const p = preview.data!.deadlinePreview;
  expect(p).toMatchObject({ closed: true, organiserRegion: { name: '吕梁市' }, schedule: { opensAt: evaluation.opensAt, dueAt: evaluation.dueAt, profile: { version: '2026-48' }, team: null } });
  // Under the new version the window is the same and the team gets 20 days from the window's opening.
  expect(p.otherVersion).toMatchObject({ opensAt: evaluation.opensAt, profile: { version: '2026-99' }, team: { assumed: true, formedAt: evaluation.opensAt } });

  const admin = await graphqlClient(stack.api.url, 'shanxi-admin');
  const used = await admin(`{ ruleProfiles { version casesUsing } }`);
  expect(used.data!.ruleProfiles).toEqual(expect.arrayContaining([{ version: '2026-48', casesUsing: 1 }, { version: '2026-99', casesUsing: 0 }]));
  // 2026-48 is immutable now (and its start lies in the past anyway); 2026-99, used by no case, may be corrected.
  const frozen = await admin(ADD, { in: newShanxiVersion({ version: '2026-48', document: '晋安办发〔2026〕48号', effectiveFrom: tomorrow, teamDays: 15 }) });
  expect(frozen.errors?.[0]?.extensions?.code).toBe('INVALID_TRANSITION');
  const corrected = await admin(ADD, { in: newShanxiVersion({ teamDays: 25 }) });
  expect(corrected.data!.addRuleProfileVersion).toMatchObject({ change: 'REPLACE', profile: { teamDays: 25 } });
  const trail = await stack.db.orm.em.fork().find(AuditEntry, { subjectType: 'rule-profile', subjectId: 'shanxi/2026-99' }, { orderBy: { revision: 'asc' } });
  expect(trail.map((e) => e.action)).toEqual(['ADD_RULE_PROFILE_VERSION', 'REPLACE_RULE_PROFILE_VERSION']);
});

test('should preview a hypothetical 较大 accident in a Shanxi city: its organiser, window and the version of its closure date', async () => {
  const anyone = await graphqlClient(stack.api.url);
  const hypothetical = { level: 'LARGER', locationRegionId: stack.world.regions.xiaoyi, enterpriseHomeRegionId: stack.world.regions.xiaodian };
  const closedToday = await anyone(PREVIEW, { in: { hypothetical, closedOn: today } });
  expect(closedToday.errors).toBeUndefined();
  const t = closedToday.data!.deadlinePreview;
  // 001 §3: a 较大 accident is investigated by the city; the enterprise's home city (太原) assists.
  expect(t).toMatchObject({ closed: false, organiserRegion: { name: '吕梁市', code: '141100' }, assistingRegions: [{ name: '太原市' }] });
  expect(t.schedule.profile).toMatchObject({ version: '2026-48', chosenFor: { jurisdictionPrefix: '14', closedOn: today } });
  const closedAt = chinaMidnight(today);
  expect(t.schedule.opensAt).toBe(addMonths(closedAt, 10).toISOString());
  expect(t.schedule.dueAt).toBe(addMonths(closedAt, 12).toISOString());
  expect(t.schedule.window.map((e: { key: string }) => e.key)).toEqual(['window-opens', 'window-reminder-30d', 'window-reminder-7d', 'window-reminder-1d', 'window-overdue']);
  expect(t.schedule.team).toBeNull();

  // Closed tomorrow, the same case gets the new version, with its team limit.
  const closedTomorrow = (await anyone(PREVIEW, { in: { hypothetical, closedOn: tomorrow, teamFormedOn: chinaDate(addMonths(chinaMidnight(tomorrow), 10)) } })).data!.deadlinePreview;
  expect(closedTomorrow.schedule.profile.version).toBe('2026-99');
  expect(closedTomorrow.schedule.team).toMatchObject({ assumed: false, events: [{ key: 'team-reminder-7d' }, { key: 'team-reminder-1d' }, { key: 'team-overdue' }] });

  const unknown = await anyone(PREVIEW, { in: { hypothetical, otherVersion: { id: 'shanxi', version: '1999' } } });
  expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', field: 'otherVersion' });
  const both = await anyone(PREVIEW, { in: { hypothetical, accidentId: stack.world.lvliangCase } });
  expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'accidentId' });
});
