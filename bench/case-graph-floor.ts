// The case-graph page and its floor: the GraphQL query, and one statement a DBA would write for the same
// document under the same visibility rules (bench/case-graph.bench.ts measures one against the other).

// Yunnan's provincial safety office: an official (not an insider) for Yunnan's cases, the public for Shanxi's
// published ones. So personal fields are hidden, working papers show only once the report is approved, and the
// public's rules (no tasks, secret report parts withheld) apply to part of the page.
export const READER = { id: 'yunnan-office', name: '云南省安委办', grants: [{ role: 'SAFETY_OFFICE' as const, regionCode: '530000' }] };
export const PREFIX = '53%';

export const QUERY = `query($first: Int!) { accidents(first: $first) {
  id title level sector occurredAt deaths injuries directLossYuan
  locationRegion { id code name }
  enterprise { id name creditCode }
  investigation {
    id escalated listedSupervisionBy
    leadDepartment { id name }
    departments { id name }
    report { id documentNo approvedAt closedAt
      measures { id seq text responsibleUnits }
      accountabilityItems { id seq kind subject recommendation } }
  }
  evaluation {
    id stage opensAt dueAt overdue actingLeader publishedAt
    team { name departmentName role }
    onSiteChecks { kind on place summary recordedBy }
    measureFindings { status evidence measure { id } }
    accountabilityFindings { status evidence item { id } }
    report { sections { section text withheldReason } approvedAt approvedBy }
    tasks { id assignee deadline status }
  }
} }`;

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const list = (object: string, from: string, order: string) => `(select coalesce(json_agg(${object} order by ${order}), '[]') ${from})`;

// The page as a DBA would write it: one statement, the visibility rules of this one caller inlined
// ($1 the region prefix of the office, $2 its region code, $3 the page size).
export const FLOOR_SQL = `
with page as (
  select a.*, ev.id as ev_id, ev.stage, ev.opens_at, ev.due_at, ev.overdue, ev.acting_leader, ev.published_at,
    case when org.code = $2 then 'INSIDER' when r.code like $1 then 'OFFICIAL' else 'PUBLIC' end as access,
    er.approved_at is not null as approved
  from accident a
  join region r on r.id = a.location_region_id
  left join evaluation ev on ev.accident_id = a.id
  left join region org on org.id = ev.organiser_region_id
  left join evaluation_report er on er.evaluation_id = ev.id
  where r.code like $1 or ev.published_at is not null
  order by a.occurred_at desc, a.id
  limit $3
), graph as (
  select p.occurred_at, p.id, json_build_object(
    'id', p.id, 'title', p.title, 'level', p.level, 'sector', p.sector, 'occurredAt', ${iso('p.occurred_at')},
    'deaths', p.deaths, 'injuries', p.injuries, 'directLossYuan', p.direct_loss_yuan::text,
    'locationRegion', (select json_build_object('id', r.id, 'code', r.code, 'name', r.name) from region r where r.id = p.location_region_id),
    'enterprise', (select json_build_object('id', e.id, 'name', e.name, 'creditCode', e.credit_code) from enterprise e where e.id = p.enterprise_id),
    'investigation', (select json_build_object(
        'id', i.id, 'escalated', i.escalated, 'listedSupervisionBy', i.listed_supervision_by,
        'leadDepartment', (select json_build_object('id', d.id, 'name', d.name) from department d where d.id = i.lead_department_id),
        'departments', ${list(`json_build_object('id', d.id, 'name', d.name)`, 'from investigation_department x join department d on d.id = x.department_id where x.investigation_id = i.id', 'd.name, d.id')},
        'report', (select json_build_object('id', ir.id, 'documentNo', ir.document_no, 'approvedAt', ${iso('ir.approved_at')}, 'closedAt', ${iso('ir.closed_at')},
            'measures', ${list(`json_build_object('id', m.id, 'seq', m.seq, 'text', m.text, 'responsibleUnits', m.responsible_units)`, 'from measure m where m.report_id = ir.id', 'm.seq, m.id')},
            'accountabilityItems', ${list(`json_build_object('id', ai.id, 'seq', ai.seq, 'kind', ai.kind, 'subject', case when p.access = 'INSIDER' then ai.subject end, 'recommendation', ai.recommendation)`, 'from accountability_item ai where ai.report_id = ir.id', 'ai.seq, ai.id')})
          from investigation_report ir where ir.investigation_id = i.id))
      from investigation i where i.accident_id = p.id),
    'evaluation', case when p.ev_id is not null then json_build_object(
      'id', p.ev_id, 'stage', p.stage, 'opensAt', ${iso('p.opens_at')}, 'dueAt', ${iso('p.due_at')}, 'overdue', p.overdue,
      'actingLeader', case when p.access = 'INSIDER' then p.acting_leader end, 'publishedAt', ${iso('p.published_at')},
      'team', case when p.access = 'INSIDER' or (p.access = 'OFFICIAL' and p.approved) then
        ${list(`json_build_object('name', case when p.access = 'INSIDER' then t.name end, 'departmentName', t.department_name, 'role', t.role)`, 'from team_member t where t.evaluation_id = p.ev_id', 't.seq, t.id')}
        else '[]' end,
      'onSiteChecks', case when p.access = 'INSIDER' or (p.access = 'OFFICIAL' and p.approved) then
        ${list(`json_build_object('kind', c.kind, 'on', c.on, 'place', c.place, 'summary', c.summary, 'recordedBy', case when p.access = 'INSIDER' then c.recorded_by end)`, 'from on_site_check c where c.evaluation_id = p.ev_id', 'c.seq, c.id')}
        else '[]' end,
      'measureFindings', case when p.access = 'INSIDER' or (p.access = 'OFFICIAL' and p.approved) then
        ${list(`json_build_object('status', f.status, 'evidence', f.evidence, 'measure', json_build_object('id', f.measure_id))`, 'from measure_finding f where f.evaluation_id = p.ev_id', 'f.id')}
        else '[]' end,
      'accountabilityFindings', case when p.access = 'INSIDER' or (p.access = 'OFFICIAL' and p.approved) then
        ${list(`json_build_object('status', f.status, 'evidence', case when p.access = 'INSIDER' then f.evidence end, 'item', json_build_object('id', f.item_id))`, 'from accountability_finding f where f.evaluation_id = p.ev_id', 'f.id')}
        else '[]' end,
      'report', case when p.access = 'INSIDER' or (p.access = 'OFFICIAL' and p.approved) or (p.access = 'PUBLIC' and p.published_at is not null) then
        (select json_build_object(
            'sections', (select json_agg(json_build_object(
                'section', s.key,
                'text', case when p.access <> 'PUBLIC' or secret.reason is null then s.value end,
                'withheldReason', case when p.access = 'PUBLIC' then secret.reason end) order by s.n)
              from jsonb_each_text(er.sections) with ordinality s(key, value, n)
              left join lateral (select x->>'reason' as reason from jsonb_array_elements(er.secret_parts) x where x->>'section' = s.key limit 1) secret on true),
            'approvedAt', ${iso('er.approved_at')}, 'approvedBy', case when p.access = 'INSIDER' then er.approved_by end)
          from evaluation_report er where er.evaluation_id = p.ev_id)
        end,
      'tasks', case when p.access <> 'PUBLIC' then
        ${list(`json_build_object('id', k.id, 'assignee', k.assignee, 'deadline', ${iso('k.deadline')}, 'status', k.status)`, 'from rectification_task k where k.evaluation_id = p.ev_id', 'k.deadline, k.id')}
        else '[]' end)
    end) as node
  from page p
)
select json_build_object('data', json_build_object('accidents', coalesce(json_agg(node order by occurred_at desc, id), '[]')))::text as body from graph`;
