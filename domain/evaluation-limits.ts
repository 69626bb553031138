import { CAPS } from './caps.js';
import { badInput } from './errors.js';
import { applyAction, checkAction, type Actor, type EvaluationAction, type EvaluationState } from './evaluation.js';
import { checkAllText, checkText, isRecordId } from './text.js';

/**
 * Bytes the whole state of one case may take. The state travels in the projection activity's input and, on
 * continue-as-new, in one workflow input: Temporal refuses payloads over 2 MB, so one case stays well under it.
 */
export const MAX_STATE_BYTES = 1_000_000;

/** UTF-8 length of a string, as PostgreSQL and Temporal's JSON payloads count it (no TextEncoder needed). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

const maxLength = (field: string, value: string | undefined, max: number): void => {
  if (value !== undefined) checkText(field, value, max);
};

const atMost = (field: string, items: readonly unknown[], max: number, what: string): void => {
  if (items.length > max) throw badInput(field, `at most ${max} ${what}`);
};

const optionalId = (field: string, value: string | undefined): void => {
  if (value !== undefined && value !== null && !isRecordId(value)) throw badInput(field, 'is not an id of a record');
};

/**
 * What every official action must satisfy before the workflow accepts it, beyond the rules of `checkAction`:
 * storable text, field lengths, caps on repeated items, well-formed ids, and a bounded case. Run by the update
 * validators (never on replay), so a request that could never be stored is refused before anything is written.
 */
export function checkActionLimits(state: EvaluationState, action: EvaluationAction, actor: Actor, at: Date): void {
  checkAllText(action, 'input', CAPS.reportSection);
  switch (action.type) {
    case 'FORM_TEAM': {
      const people = [
        ['leader', action.leader],
        ['deputy', action.deputy],
        ...action.members.map((m, i) => [`members[${i}]`, m] as const),
      ] as const;
      atMost('members', action.members, CAPS.teamMembers - 2, 'members besides the leader and the deputy');
      for (const [field, person] of people) {
        if (!person) continue;
        maxLength(`${field}.name`, person.name, CAPS.name);
        maxLength(`${field}.departmentName`, person.departmentName, CAPS.name);
        optionalId(`${field}.departmentId`, person.departmentId);
        maxLength(`${field}.userId`, person.userId, CAPS.name);
      }
      break;
    }
    case 'SUBMIT_SELF_EVALUATION':
      maxLength('submittedBy', action.submittedBy, CAPS.name);
      maxLength('summary', action.summary, CAPS.text);
      atMost('statements', action.statements, CAPS.measures, 'statements');
      action.statements.forEach((s, i) => maxLength(`statements[${i}].statement`, s.statement, CAPS.text));
      break;
    case 'COMPLETE_DOCUMENT_REVIEW':
      maxLength('summary', action.summary, CAPS.text);
      break;
    case 'RECORD_ON_SITE_CHECK':
      if (state.onSiteChecks.length >= CAPS.onSiteChecks) throw badInput('input', `an evaluation holds at most ${CAPS.onSiteChecks} on-site checks`);
      maxLength('place', action.place, CAPS.name);
      maxLength('summary', action.summary, CAPS.onSiteCheckSummary);
      break;
    case 'SUBMIT_ASSESSMENT':
      maxLength('summary', action.summary, CAPS.text);
      atMost('measureFindings', action.measureFindings, CAPS.measures, 'findings');
      atMost('accountabilityFindings', action.accountabilityFindings, CAPS.accountabilityItems, 'findings');
      atMost('referrals', action.referrals, CAPS.referrals, 'referrals');
      action.measureFindings.forEach((f, i) => maxLength(`measureFindings[${i}].evidence`, f.evidence, CAPS.text));
      action.accountabilityFindings.forEach((f, i) => maxLength(`accountabilityFindings[${i}].evidence`, f.evidence, CAPS.text));
      action.referrals.forEach((r, i) => {
        maxLength(`referrals[${i}].subject`, r.subject, CAPS.name);
        maxLength(`referrals[${i}].reason`, r.reason, CAPS.text);
      });
      break;
    case 'SUBMIT_REPORT_DRAFT': {
      let total = 0;
      for (const [section, text] of Object.entries(action.sections)) {
        maxLength(`sections.${section}`, text, CAPS.reportSection);
        total += text?.length ?? 0;
      }
      for (const [list, items] of Object.entries(action.lists)) {
        atMost(`lists.${list}`, items ?? [], CAPS.listItems, 'items');
        (items ?? []).forEach((item, i) => {
          maxLength(`lists.${list}[${i}]`, item, CAPS.listItem);
          total += item.length;
        });
      }
      atMost('secretParts', action.secretParts, 20, 'withheld parts');
      action.secretParts.forEach((p, i) => maxLength(`secretParts[${i}].reason`, p.reason, CAPS.text));
      if (total > CAPS.reportDraft) throw badInput('sections', `a report draft holds at most ${CAPS.reportDraft} characters in all`);
      break;
    }
    case 'RETURN_REPORT':
      if ((state.report?.returns.length ?? 0) >= CAPS.reportReturns) throw badInput('input', `a draft may be returned at most ${CAPS.reportReturns} times`);
      maxLength('reason', action.reason, CAPS.text);
      break;
    case 'PUBLISH_REPORT':
      maxLength('url', action.url, 2_000);
      break;
    case 'FILE_REPORT':
      maxLength('filedWith', action.filedWith, CAPS.name);
      maxLength('reference', action.reference, CAPS.name);
      break;
    case 'RECORD_REFERRAL_OUTCOME':
      maxLength('outcome', action.outcome, CAPS.text);
      break;
    default:
      break;
  }
  // The case as it would be after this action must still fit in one payload.
  checkAction(state, action);
  const bytes = utf8Length(JSON.stringify(applyAction(state, action, actor, at)));
  if (bytes > MAX_STATE_BYTES) {
    throw badInput('input', `the case would hold ${Math.round(bytes / 1000)} kB, more than the ${MAX_STATE_BYTES / 1000} kB one case may hold`);
  }
}
