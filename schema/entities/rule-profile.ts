// Rule profiles as versioned data (domain/rule-profiles.ts). Filled in by the rule-profile work.
export const RULE_PROFILE_ENTITIES: Function[] = [];
