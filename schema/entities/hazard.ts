// Read model of hazards and whistleblower reports (domain/hazard.ts). Filled in by the hazard read-model work.
export const HAZARD_ENTITIES: Function[] = [];
