import type { EntityManager } from '@mikro-orm/postgresql';
import { allow, type Principal, type RegionOperation } from '../../domain/access.js';
import { SECTORS, type Sector } from '../../domain/case.js';
import { badInput, DomainError } from '../../domain/errors.js';
import { checkRegionCode, normaliseCreditCode, outsideRegion, recordId, singleLine } from '../../domain/intake.js';
import { REGION_LEVELS, type RegionLevel } from '../../domain/regions.js';
import { checkAllText, notFound } from '../../domain/text.js';
import { DEPARTMENT_KINDS, Department, Enterprise, Region, type DepartmentKind } from '../../schema/entities/index.js';

// The register of regions, departments and enterprises that cases point to, kept by administrators
// (ADMINISTRATOR of a region: that region and everything under it). One transaction per call.

export interface RegionDraft {
  code: string;
  name: string;
  level: string;
  parentId?: string | null;
  safetyOfficeName: string;
}

export interface RegionChange {
  name?: string | null;
  safetyOfficeName?: string | null;
}

export interface DepartmentDraft {
  name: string;
  kind: string;
  regionId: string;
}

export interface DepartmentChange {
  name?: string | null;
  kind?: string | null;
}

export interface EnterpriseDraft {
  name: string;
  creditCode?: string | null;
  sector: string;
  homeRegionId: string;
}

export interface EnterpriseChange {
  name?: string | null;
  /** null clears it. */
  creditCode?: string | null;
  sector?: string | null;
  homeRegionId?: string | null;
}

function oneOf<T extends string>(field: string, value: unknown, values: readonly T[]): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) throw badInput(field, `must be one of ${values.join(', ')}`);
  return value as T;
}

/** A field a change may leave out, but not clear. */
function kept<T>(field: string, value: T | null | undefined, read: (field: string, value: unknown) => T): T | undefined {
  if (value === undefined) return undefined;
  if (value === null) throw badInput(field, 'cannot be cleared');
  return read(field, value);
}

function refuseOutside(principal: Principal, operation: RegionOperation, region: Region, field: string): void {
  if (!allow(principal, operation, { regionCode: region.code })) throw outsideRegion(field, `${region.name} (${region.code})`);
}

async function regionById(tx: EntityManager, field: string, id: unknown): Promise<Region> {
  const region = await tx.findOne(Region, recordId(field, id));
  if (!region) throw notFound(field);
  return region;
}

function duplicate(error: unknown, constraint: string): boolean {
  const e = error as { name?: unknown; constraint?: unknown };
  return e?.name === 'UniqueConstraintViolationException' && e.constraint === constraint;
}

/** Runs `write`; a unique violation lost in a race reads like the check that would have caught it. */
async function guarded<T>(write: () => Promise<T>, constraint: string, refusal: () => DomainError): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (duplicate(error, constraint)) throw refusal();
    throw error;
  }
}

export async function createRegion(em: EntityManager, principal: Principal, draft: RegionDraft): Promise<string> {
  checkAllText(draft);
  const code = singleLine('code', draft.code, 12);
  const name = singleLine('name', draft.name);
  const safetyOfficeName = singleLine('safetyOfficeName', draft.safetyOfficeName);
  const level = oneOf<RegionLevel>('level', draft.level, REGION_LEVELS);
  return guarded(
    () =>
      em.fork().transactional(async (tx) => {
        const parent = draft.parentId ? await regionById(tx, 'parentId', draft.parentId) : null;
        checkRegionCode(code, level, parent);
        if (!allow(principal, 'MANAGE_REGION', { regionCode: code })) throw outsideRegion('code', code);
        if (parent) refuseOutside(principal, 'MANAGE_REGION', parent, 'parentId');
        const existing = await tx.findOne(Region, { code });
        if (existing) throw badInput('code', `${code} is already the code of ${existing.name}`);
        const region = tx.create(Region, { code, name, level, parent, safetyOfficeName });
        await tx.flush();
        return region.id;
      }),
    'region_code_unique',
    () => badInput('code', `${code} is already in use`),
  );
}

/** Names change; a division code, level and parent do not (a re-division is a new region: grants and cases name codes). */
export async function updateRegion(em: EntityManager, principal: Principal, regionId: string, change: RegionChange): Promise<string> {
  checkAllText(change);
  const name = kept('name', change.name, singleLine);
  const safetyOfficeName = kept('safetyOfficeName', change.safetyOfficeName, singleLine);
  return em.fork().transactional(async (tx) => {
    const region = await regionById(tx, 'regionId', regionId);
    refuseOutside(principal, 'MANAGE_REGION', region, 'regionId');
    if (name !== undefined) region.name = name;
    if (safetyOfficeName !== undefined) region.safetyOfficeName = safetyOfficeName;
    await tx.flush();
    return region.id;
  });
}

async function refuseDuplicateDepartment(tx: EntityManager, regionId: string, name: string, except?: string): Promise<void> {
  const existing = await tx.findOne(Department, { region: regionId, name });
  if (existing && existing.id !== except) throw badInput('name', `the region already has a department named ${name}`);
}

export async function createDepartment(em: EntityManager, principal: Principal, draft: DepartmentDraft): Promise<string> {
  checkAllText(draft);
  const name = singleLine('name', draft.name);
  const kind = oneOf<DepartmentKind>('kind', draft.kind, DEPARTMENT_KINDS);
  return guarded(
    () =>
      em.fork().transactional(async (tx) => {
        const region = await regionById(tx, 'regionId', draft.regionId);
        refuseOutside(principal, 'MANAGE_DEPARTMENT', region, 'regionId');
        await refuseDuplicateDepartment(tx, region.id, name);
        const department = tx.create(Department, { name, kind, region });
        await tx.flush();
        return department.id;
      }),
    'department_region_id_name_unique',
    () => badInput('name', `the region already has a department named ${name}`),
  );
}

export async function updateDepartment(em: EntityManager, principal: Principal, departmentId: string, change: DepartmentChange): Promise<string> {
  checkAllText(change);
  const name = kept('name', change.name, singleLine);
  const kind = kept<DepartmentKind>('kind', change.kind as DepartmentKind | null | undefined, (field, value) => oneOf<DepartmentKind>(field, value, DEPARTMENT_KINDS));
  return guarded(
    () =>
      em.fork().transactional(async (tx) => {
        const department = await tx.findOne(Department, recordId('departmentId', departmentId));
        if (!department) throw notFound('departmentId');
        refuseOutside(principal, 'MANAGE_DEPARTMENT', await regionById(tx, 'departmentId', department.region.id), 'departmentId');
        if (name !== undefined) {
          await refuseDuplicateDepartment(tx, department.region.id, name, department.id);
          department.name = name;
        }
        if (kind !== undefined) department.kind = kind;
        await tx.flush();
        return department.id;
      }),
    'department_region_id_name_unique',
    () => badInput('name', `the region already has a department named ${name}`),
  );
}

async function refuseDuplicateCreditCode(tx: EntityManager, creditCode: string | null, except?: string): Promise<void> {
  if (!creditCode) return;
  const existing = await tx.findOne(Enterprise, { creditCode });
  if (existing && existing.id !== except) throw badInput('creditCode', `${creditCode} is already registered for ${existing.name}`);
}

export async function createEnterprise(em: EntityManager, principal: Principal, draft: EnterpriseDraft): Promise<string> {
  checkAllText(draft);
  const name = singleLine('name', draft.name);
  const creditCode = normaliseCreditCode('creditCode', draft.creditCode);
  const sector = oneOf<Sector>('sector', draft.sector, SECTORS);
  return guarded(
    () =>
      em.fork().transactional(async (tx) => {
        const homeRegion = await regionById(tx, 'homeRegionId', draft.homeRegionId);
        refuseOutside(principal, 'MANAGE_ENTERPRISE', homeRegion, 'homeRegionId');
        await refuseDuplicateCreditCode(tx, creditCode);
        const enterprise = tx.create(Enterprise, { name, creditCode, sector, homeRegion });
        await tx.flush();
        return enterprise.id;
      }),
    'enterprise_credit_code_unique',
    () => badInput('creditCode', `${creditCode} is already registered`),
  );
}

export async function updateEnterprise(em: EntityManager, principal: Principal, enterpriseId: string, change: EnterpriseChange): Promise<string> {
  checkAllText(change);
  const name = kept('name', change.name, singleLine);
  const creditCode = change.creditCode === undefined ? undefined : normaliseCreditCode('creditCode', change.creditCode);
  const sector = kept<Sector>('sector', change.sector as Sector | null | undefined, (field, value) => oneOf<Sector>(field, value, SECTORS));
  return guarded(
    () =>
      em.fork().transactional(async (tx) => {
        const enterprise = await tx.findOne(Enterprise, recordId('enterpriseId', enterpriseId));
        if (!enterprise) throw notFound('enterpriseId');
        refuseOutside(principal, 'MANAGE_ENTERPRISE', await regionById(tx, 'enterpriseId', enterprise.homeRegion.id), 'enterpriseId');
        if (change.homeRegionId !== undefined) {
          if (change.homeRegionId === null) throw badInput('homeRegionId', 'cannot be cleared');
          const homeRegion = await regionById(tx, 'homeRegionId', change.homeRegionId);
          refuseOutside(principal, 'MANAGE_ENTERPRISE', homeRegion, 'homeRegionId');
          enterprise.homeRegion = tx.getReference(Region, homeRegion.id, { wrapped: true });
        }
        if (creditCode !== undefined) {
          await refuseDuplicateCreditCode(tx, creditCode, enterprise.id);
          enterprise.creditCode = creditCode;
        }
        if (name !== undefined) enterprise.name = name;
        if (sector !== undefined) enterprise.sector = sector;
        await tx.flush();
        return enterprise.id;
      }),
    'enterprise_credit_code_unique',
    () => badInput('creditCode', `${creditCode} is already registered`),
  );
}
