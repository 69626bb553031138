// The working-day calendar an office loads (domain/working-days.ts). Filled in by the calendar work.
export const CALENDAR_ENTITIES: Function[] = [];
