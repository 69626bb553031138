import { registerEnumType } from 'type-graphql';
import { CAMPAIGN_CLOCKS, CAMPAIGN_DIMENSIONS, CAMPAIGN_KINDS, CAMPAIGN_STAGES, GRADES, REVIEW_METHODS } from '../../domain/campaign.js';
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
import {
  ENFORCEMENT_ADVICE,
  ENFORCEMENT_DECISIONS,
  HAZARD_GRADES,
  HAZARD_SOURCES,
  HAZARD_STAGES,
  REPORT_STAGES,
  VERIFICATION_OUTCOMES,
} from '../../domain/hazard.js';
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
export const CampaignKindEnum = graphqlEnum(CAMPAIGN_KINDS, 'CampaignKind', '三年专项整治 THREE_YEAR, 全区性专项整治 DISTRICT_WIDE, 行业领域专项整治 SECTOR (002 §2)');
export const CampaignStageEnum = graphqlEnum(CAMPAIGN_STAGES, 'CampaignStage', 'Stage of a campaign evaluation (002 §7, §13)');
export const CampaignClockEnum = graphqlEnum(CAMPAIGN_CLOCKS, 'CampaignClock', 'A campaign deadline: preparation, self-evaluation, sector review, assessment (002 §8-§11)');
export const CampaignDimensionEnum = graphqlEnum(CAMPAIGN_DIMENSIONS, 'CampaignDimension', 'The nine dimensions a campaign evaluation covers (002 §5)');
export const GradeEnum = graphqlEnum(GRADES, 'Grade', '优 EXCELLENT, 良 GOOD, 中 FAIR, 差 POOR (002 §10(二), §11(二))');
export const ReviewMethodEnum = graphqlEnum(REVIEW_METHODS, 'ReviewMethod', '座谈会 MEETING, 问卷调查 QUESTIONNAIRE, 随机走访 RANDOM_VISIT, 现场抽查台账 LEDGER_SPOT_CHECK (002 §10(一))');
export const GradedUnitEnum = graphqlEnum(['TOWN', 'SECTOR'] as const, 'GradedUnit', 'A town graded by a sector review, or a sector graded by the assessment');
export const LookBackReasonEnum = graphqlEnum(['PROMINENT_PROBLEMS', 'MAJOR_HAZARDS'] as const, 'LookBackReason', '问题突出 or 重大安全隐患 (002 §12(二))');
export const UnitReviewStageEnum = graphqlEnum(
  ['DRAFTING', 'REVIEWING', 'AWAITING_APPROVAL', 'APPROVED'] as const,
  'UnitReviewStage',
  'A town self-evaluation (DRAFTING → AWAITING_APPROVAL → APPROVED) or a sector review (REVIEWING → AWAITING_APPROVAL → APPROVED)',
);
export const LookBackStageEnum = graphqlEnum(['SCHEDULED', 'DUE', 'RECORDED'] as const, 'LookBackStage', 'A look-back waits for its day, is due, then recorded');
export const HazardGradeEnum = graphqlEnum(HAZARD_GRADES, 'HazardGrade', '重大事故隐患 MAJOR, 一般事故隐患 GENERAL');
export const HazardSourceEnum = graphqlEnum(
  HAZARD_SOURCES,
  'HazardSource',
  'Where a hazard came from: the enterprise\'s own report, an inspection, a verified whistleblower report, an accident evaluation\'s or a campaign\'s finding',
);
export const HazardStageEnum = graphqlEnum(HAZARD_STAGES, 'HazardStage', 'REPORTED → RECTIFYING → ACCEPTANCE → CLOSED (销号); a hazard fixed at once may skip to CLOSED or ACCEPTANCE');
export const EnforcementAdviceEnum = graphqlEnum(
  ENFORCEMENT_ADVICE,
  'EnforcementAdvice',
  '003 §三: 不予行政处罚 NO_PENALTY, 一案双罚 PENALISE_BOTH, 停产整顿并行业禁入 CLOSURE_AND_BAN, 移送司法机关 TRANSFER_TO_JUDICIARY',
);
export const EnforcementDecisionEnum = graphqlEnum(ENFORCEMENT_DECISIONS, 'EnforcementDecision', 'What the official decided, whatever the advice was');
export const WhistleblowerStageEnum = graphqlEnum(REPORT_STAGES, 'WhistleblowerStage', 'RECEIVED → DISPATCHED → VERIFIED → CLOSED');
export const VerificationOutcomeEnum = graphqlEnum(
  VERIFICATION_OUTCOMES,
  'VerificationOutcome',
  '不属实 UNFOUNDED; HAZARD: entered in the hazard ledger; LISTED_SUPERVISION: entered and put under listed supervision (挂牌督办)',
);
