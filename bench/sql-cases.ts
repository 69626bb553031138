// A quick generator of many case graphs for the read benchmarks, straight into the tables with generate_series
// (100k cases in about a minute). It skips the intake path and the workflows: the read path only needs the rows.
// Needs the demo regions, departments and enterprises (infra/demo-data.ts) in the database first.
import pg from 'pg';

/**
 * Case i: located in 南宁街道 (Yunnan) for four in five, else in 孝义市 (Shanxi); investigated by up to three
 * departments, its report with three measures and two accountability items; nine in ten are closed, with an
 * evaluation whose stage runs through the whole stage machine (team, checks, findings, report, tasks as the
 * stage has them), audit entries and a reminder. Ids are derived from `prefix` and i, so a second batch with
 * another prefix adds to the first.
 */
export async function insertSqlCases(url: string, count: number, prefix = 'bench'): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const id = (kind: string, extra = '') => `md5('${prefix}-${kind}-' || i${extra})::uuid`;
  try {
    await client.query('begin');
    await client.query(`create temporary table bench_case on commit drop as
      select i, (i % 5 = 0) as shanxi,
        (array['WAITING_FOR_WINDOW','TEAM_FORMATION','SELF_EVALUATION','DOCUMENT_REVIEW','ON_SITE_VERIFICATION','COMPREHENSIVE_ASSESSMENT',
               'REPORT_DRAFTING','REPORT_APPROVAL','PUBLICATION','FOLLOW_UP','CLOSED'])[1 + i % 11] as stage,
        1 + i % 11 as stage_no,
        timestamptz '2020-01-01' + (i * interval '37 minutes') as occurred_at
      from generate_series(1, ${Number(count)}) i`);
    const region = (code: string) => `(select id from region where code = '${code}')`;
    const dept = (name: string) => `(select id from department where name = '${name}')`;
    await client.query(`insert into accident (id, title, level, sector, occurred_at, location_region_id, enterprise_id, deaths, injuries, direct_loss_yuan)
      select ${id('a')}, case when shanxi then '孝义市第' || i || '起较大爆炸事故' else '麒麟区第' || i || '起建筑施工高处坠落事故' end,
        case when shanxi then 'LARGER' else 'ORDINARY' end, case when shanxi then 'HAZARDOUS_CHEMICALS' else 'CONSTRUCTION' end, occurred_at,
        case when shanxi then ${region('141181')} else ${region('530302001')} end,
        case when shanxi then (select id from enterprise where name = '山西某焦化化工有限公司') else (select id from enterprise where name = '曲靖市某建设工程有限公司') end,
        1 + i % 3, i % 4, (10000 + i)::numeric(16,2)
      from bench_case`);
    await client.query(`insert into investigation (id, accident_id, lead_department_id, escalated, listed_supervision_by)
      select ${id('i')}, ${id('a')}, case when shanxi then ${dept('吕梁市应急管理局')} else ${dept('麒麟区应急管理局')} end, i % 7 = 0,
        case when i % 9 = 0 then '省安委办' end
      from bench_case`);
    await client.query(`insert into investigation_department (investigation_id, department_id)
      select ${id('i')}, d.id from bench_case
      join lateral (select id from department
        where name = any(case when shanxi then array['吕梁市应急管理局','吕梁市公安局','吕梁市工业和信息化局'] else array['麒麟区应急管理局','麒麟区住房和城乡建设局','曲靖市公安局麒麟分局'] end)
        order by name limit 1 + i % 3) d on true`);
    await client.query(`insert into investigation_report (id, investigation_id, document_no, approved_at, closed_at)
      select ${id('r')}, ${id('i')}, '${prefix}政复〔' || i || '〕号', occurred_at + interval '120 days',
        case when i % 10 <> 0 then occurred_at + interval '150 days' end
      from bench_case`);
    await client.query(`insert into measure (id, report_id, seq, text, responsible_units)
      select ${id('m', " || '-' || s")}, ${id('r')}, s, '第' || s || '项整改措施：落实高处作业安全防护，临边洞口防护设施全覆盖', array['麒麟区住房和城乡建设局', '南宁街道办事处']
      from bench_case, generate_series(1, 3) s`);
    await client.query(`insert into accountability_item (id, report_id, seq, kind, subject, recommendation)
      select ${id('ai', " || '-' || s")}, ${id('r')}, s, case s when 1 then 'ADMINISTRATIVE_PENALTY' else 'CRIMINAL' end,
        case s when 1 then '施工企业' || i else '项目经理 王某' || i end, case s when 1 then '依法处以罚款' else '移送司法机关' end
      from bench_case, generate_series(1, 2) s`);
    // Closed cases: an evaluation, due 12 months after closure.
    await client.query(`insert into evaluation (id, accident_id, workflow_id, profile_id, profile_version, organiser_region_id, assisting_region_ids, stage, revision,
        opens_at, due_at, team_due_at, overdue, overdue_clocks, team_formed_at, acting_leader, document_reviewed_at, document_review_summary,
        on_site_completed_at, assessed_at, assessment_summary, published_at, publication_url, filed_at, filed_with, filing_reference, closed_at, workflow_started_at)
      select ${id('a')}, ${id('a')}, 'accident-evaluation/' || ${id('a')}, case when shanxi then 'shanxi' else 'qilin' end, case when shanxi then '2026-48' else '2022' end,
        case when shanxi then ${region('141100')} else ${region('530302')} end, '{}', stage, stage_no,
        occurred_at + interval '150 days' + interval '10 months', occurred_at + interval '150 days' + interval '12 months',
        case when stage_no >= 3 then occurred_at + interval '150 days' + interval '11 months' end,
        i % 13 = 0, case when i % 13 = 0 then array['WINDOW'] else '{}' end,
        case when stage_no >= 3 then occurred_at + interval '150 days' + interval '10 months' end, case when stage_no >= 3 then '组长 张某' end,
        case when stage_no >= 5 then occurred_at + interval '460 days' end, case when stage_no >= 5 then '资料齐全' end,
        case when stage_no >= 6 then occurred_at + interval '470 days' end,
        case when stage_no >= 7 then occurred_at + interval '480 days' end, case when stage_no >= 7 then '整改措施大部分落实' end,
        case when stage_no >= 10 then occurred_at + interval '500 days' end, case when stage_no >= 10 then 'https://yjglj.example.gov.cn/' || i end,
        case when stage_no >= 10 and i % 2 = 0 then occurred_at + interval '505 days' end, case when stage_no >= 10 and i % 2 = 0 then '上级安委办' end,
        case when stage_no >= 10 and i % 2 = 0 then '备〔' || i || '〕号' end,
        case when stage_no = 11 then occurred_at + interval '600 days' end, occurred_at + interval '150 days'
      from bench_case where i % 10 <> 0`);
    await client.query(`insert into team_member (id, evaluation_id, seq, name, department_name, role)
      select ${id('a')} || '/' || s, ${id('a')}, s, (array['张某','李某','王某'])[s], '麒麟区应急管理局', (array['LEADER','MEMBER','EXPERT'])[s]
      from bench_case, generate_series(1, 3) s where i % 10 <> 0 and stage_no >= 3`);
    await client.query(`insert into on_site_check (id, evaluation_id, seq, kind, "on", place, summary, recorded_by)
      select ${id('a')} || '/c' || s, ${id('a')}, s, (array['INTERVIEW','SITE_VISIT'])[s], (occurred_at + interval '465 days')::date, '施工现场', '核查临边防护设施', '李某'
      from bench_case, generate_series(1, 2) s where i % 10 <> 0 and stage_no >= 6`);
    await client.query(`insert into measure_finding (id, evaluation_id, measure_id, status, evidence)
      select ${id('a')} || '/m' || s, ${id('a')}, ${id('m', " || '-' || s")}, case when s = 3 and i % 2 = 0 then 'NOT_IMPLEMENTED' else 'IMPLEMENTED' end, '现场核查照片及台账'
      from bench_case, generate_series(1, 3) s where i % 10 <> 0 and stage_no >= 7`);
    await client.query(`insert into accountability_finding (id, evaluation_id, item_id, status, evidence)
      select ${id('a')} || '/i' || s, ${id('a')}, ${id('ai', " || '-' || s")}, 'IMPLEMENTED', '处罚决定书'
      from bench_case, generate_series(1, 2) s where i % 10 <> 0 and stage_no >= 7`);
    await client.query(`insert into evaluation_report (evaluation_id, sections, lists, member_meeting_held_on, secret_parts, submitted_at, approved_at, approved_by, returns)
      select ${id('a')},
        '{"ORGANISATION":"评估组织情况","ACCOUNTABILITY":"责任追究落实情况","MEASURES":"整改措施落实情况","CONCLUSION":"评估结论"}'::jsonb,
        '{"PROBLEMS":["问题一"],"RECOMMENDATIONS":["建议一"],"GOOD_PRACTICES":["做法一"]}'::jsonb,
        null, case when i % 4 = 0 then '[{"section":"ACCOUNTABILITY","reason":"涉及国家秘密"}]'::jsonb else '[]'::jsonb end,
        occurred_at + interval '490 days', case when stage_no >= 9 then occurred_at + interval '495 days' end, case when stage_no >= 9 then '分管副区长 钱某' end, '[]'::jsonb
      from bench_case where i % 10 <> 0 and stage_no >= 8`);
    await client.query(`insert into rectification_task (id, evaluation_id, measure_id, workflow_id, assignee, deadline, status, revision)
      select ${id('a')} || '/' || ${id('m', " || '-3'")}, ${id('a')}, ${id('m', " || '-3'")}, 'rectification-task/' || ${id('a')} || '/' || ${id('m', " || '-3'")},
        '麒麟区住房和城乡建设局', occurred_at + interval '560 days', case when stage_no = 11 then 'DONE' else 'OPEN' end, 1
      from bench_case where i % 10 <> 0 and stage_no >= 10 and i % 2 = 0`);
    // The audit trail (a closure and the stage changes, up to three entries a case) and one reminder a case.
    await client.query(`insert into audit_entry (at, subject_type, subject_id, revision, actor_id, actor_name, actor_role, action, stage_before, stage_after)
      select occurred_at + interval '150 days' + r * interval '1 day', 'evaluation', ${id('a')}::text, r, '${prefix}-office', '麒麟区安委办', 'SAFETY_OFFICE',
        case r when 1 then 'CLOSE_CASE' when 2 then 'FORM_TEAM' else 'SUBMIT_SELF_EVALUATION' end, null, stage
      from bench_case, generate_series(1, 3) r where i % 10 <> 0 and r <= stage_no`);
    await client.query(`insert into notification (id, key, kind, subject_id, recipient, message, due_at, created_at)
      select ${id('n')}, '${prefix}-reminder-' || i, 'REMINDER', ${id('a')}::text, '麒麟区安委办', '评估期限将至', occurred_at + interval '510 days', occurred_at + interval '500 days'
      from bench_case where i % 10 <> 0`);
    await client.query('commit');
    // As autovacuum would: statistics, and the visibility map index-only scans rely on.
    await client.query('vacuum analyze');
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
