import { AccountabilityItem, Accident, Investigation, InvestigationReport, Measure } from './accident.js';
import { AuditEntry } from './audit.js';
import { CALENDAR_ENTITIES } from './calendar.js';
import { CAMPAIGN_ENTITIES } from './campaign.js';
import { HAZARD_ENTITIES } from './hazard.js';
import { RULE_PROFILE_ENTITIES } from './rule-profile.js';
import {
  AccountabilityFinding,
  Evaluation,
  EvaluationReport,
  MeasureFinding,
  OnSiteCheck,
  RectificationTask,
  Referral,
  TeamMember,
} from './evaluation.js';
import { AppUser, RoleGrantRow } from './identity.js';
import { Notification } from './notification.js';
import { Department, Enterprise, Region } from './organisation.js';

export * from './accident.js';
export * from './audit.js';
export * from './calendar.js';
export * from './campaign.js';
export * from './evaluation.js';
export * from './hazard.js';
export * from './identity.js';
export * from './notification.js';
export * from './organisation.js';
export * from './rule-profile.js';

export const ENTITIES = [
  Region,
  Department,
  Enterprise,
  Accident,
  Investigation,
  InvestigationReport,
  Measure,
  AccountabilityItem,
  Evaluation,
  TeamMember,
  OnSiteCheck,
  MeasureFinding,
  AccountabilityFinding,
  Referral,
  EvaluationReport,
  RectificationTask,
  Notification,
  AuditEntry,
  AppUser,
  RoleGrantRow,
  ...CAMPAIGN_ENTITIES,
  ...CALENDAR_ENTITIES,
  ...RULE_PROFILE_ENTITIES,
  ...HAZARD_ENTITIES,
];
