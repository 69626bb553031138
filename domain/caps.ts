/**
 * Upper bounds on what one case may hold. They keep a workflow's state, its history events and every GraphQL
 * list bounded (Temporal refuses payloads over 2 MB; the query cost limit multiplies by these). The schema's
 * descriptions state them; the domain refuses an action that would pass one with BAD_USER_INPUT.
 */
export const CAPS = {
  /** Members of one evaluation team, leader and deputy included. */
  teamMembers: 60,
  /** On-site checks recorded in one evaluation (interviews, document checks, site visits). */
  onSiteChecks: 200,
  /** Characters of one on-site check's summary. */
  onSiteCheckSummary: 4_000,
  /** Referrals to other bodies from one assessment. */
  referrals: 50,
  /** Items of one report list (problems, recommendations, good practices). */
  listItems: 100,
  /** Characters of one list item. */
  listItem: 2_000,
  /** Characters of one report section. */
  reportSection: 50_000,
  /** Characters of a whole report draft (all sections and lists together). */
  reportDraft: 200_000,
  /** Characters of a summary, a statement, a piece of evidence or a reason. */
  text: 8_000,
  /** Characters of a name (person, unit, place). */
  name: 200,
  /** Times a draft may be returned for rework. */
  reportReturns: 20,
  /** Measures and accountability items of one investigation report. */
  measures: 100,
  accountabilityItems: 200,
  /** Entries one audit or notification list returns at most (pages beyond need `first`/`after`). */
  listPage: 200,
} as const;
