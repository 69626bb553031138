import { registerEnumType } from 'type-graphql';
import { ACCOUNTABILITY_KINDS, SECTORS } from '../../domain/case.js';
import {
  EVALUATION_STAGES,
  FINDING_STATUSES,
  ON_SITE_CHECK_KINDS,
  OVERDUE_CLOCKS,
  REFERRAL_KINDS,
  TASK_STATUSES,
  TEAM_ROLES,
} from '../../domain/evaluation.js';
import { ACCIDENT_LEVELS } from '../../domain/organiser.js';
import { REGION_LEVELS } from '../../domain/regions.js';
import { REPORT_LISTS, REPORT_SECTIONS } from '../../domain/rule-profiles.js';
import { DEPARTMENT_KINDS } from '../../schema/entities/organisation.js';
import { NOTIFICATION_KINDS } from '../../schema/entities/notification.js';

// GraphQL enums built from the domain's value lists, so a value is defined once.
function graphqlEnum<const T extends readonly string[]>(values: T, name: string, description: string): { [K in T[number]]: K } {
  const object = Object.fromEntries(values.map((v) => [v, v])) as { [K in T[number]]: K };
  registerEnumType(object, { name, description });
  return object;
}

export const RegionLevelEnum = graphqlEnum(REGION_LEVELS, 'RegionLevel', 'NATION (State Council), PROVINCE, CITY, COUNTY (county/district), TOWN (town/sub-district)');
export const AccidentLevelEnum = graphqlEnum(ACCIDENT_LEVELS, 'AccidentLevel', '事故等级: 一般 ORDINARY, 较大 LARGER, 重大 MAJOR, 特别重大 EXTRAORDINARY');
export const SectorEnum = graphqlEnum(SECTORS, 'Sector', 'The twelve sectors of the major-hazard campaign (003 §二)');
export const AccountabilityKindEnum = graphqlEnum(ACCOUNTABILITY_KINDS, 'AccountabilityKind', '行政处罚 / 党纪政务处分 / 刑事责任');
export const DepartmentKindEnum = graphqlEnum(DEPARTMENT_KINDS, 'DepartmentKind', 'What a department is, as the rules need it');
export const EvaluationStageEnum = graphqlEnum(EVALUATION_STAGES, 'EvaluationStage', 'Stage of a post-accident rectification evaluation');
export const TeamRoleEnum = graphqlEnum(TEAM_ROLES, 'TeamRole', 'Role in the evaluation team (评估组)');
export const OnSiteCheckKindEnum = graphqlEnum(ON_SITE_CHECK_KINDS, 'OnSiteCheckKind', '座谈问询 INTERVIEW, 查阅文件 DOCUMENT_CHECK, 走访核查 SITE_VISIT');
export const FindingStatusEnum = graphqlEnum(FINDING_STATUSES, 'FindingStatus', 'How far a measure or accountability item was implemented');
export const ReferralKindEnum = graphqlEnum(REFERRAL_KINDS, 'ReferralKind', 'Where a problem was transferred or reported (001 §11)');
export const TaskStatusEnum = graphqlEnum(TASK_STATUSES, 'TaskStatus', 'Status of a rectification task');
export const OverdueClockEnum = graphqlEnum(OVERDUE_CLOCKS, 'OverdueClock', 'WINDOW: not published 12 months after closure; TEAM: the team passed its time limit');
export const ReportSectionEnum = graphqlEnum(REPORT_SECTIONS, 'ReportSection', 'The four parts of an evaluation report (001 §9)');
export const ReportListEnum = graphqlEnum(REPORT_LISTS, 'ReportList', '问题清单, 工作建议清单, 经验做法清单 (000 §五)');
export const NotificationKindEnum = graphqlEnum(NOTIFICATION_KINDS, 'NotificationKind', 'Reminder, overdue notice or escalation');
