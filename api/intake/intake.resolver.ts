import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { regionPrefix } from '../../domain/access.js';
import { DomainError } from '../../domain/errors.js';
import { singleLine } from '../../domain/intake.js';
import { isRecordId, notFound } from '../../domain/text.js';
import type { Accident, AuditEntry } from '../../schema/entities/index.js';
import { Department, Enterprise } from '../../schema/entities/index.js';
import { viewOf } from '../access.js';
import { AccidentType, DepartmentType, EnterpriseType, RegionType } from '../case/case.type.js';
import { linkAccidentOrigin, originHazardOf } from '../hazard/hazard.service.js';
import type { Context } from '../context.js';
import { AuditEntryType } from '../evaluation/evaluation.type.js';
import { createLoaders } from '../loaders.js';
import {
  CorrectAccidentCaseInput,
  CreateDepartmentInput,
  CreateEnterpriseInput,
  CreateRegionInput,
  RecordInvestigationInput,
  RecordInvestigationReportInput,
  RegisterAccidentInput,
  UpdateDepartmentInput,
  UpdateEnterpriseInput,
  UpdateRegionInput,
} from './intake.inputs.js';
import { ImportResolver } from './import/import.resolver.js';
import * as intake from './intake.service.js';
import * as register from './register.service.js';

/** After a write, the rest of the request reads the new rows, not cached ones. */
function refresh(ctx: Context): void {
  ctx.em.clear();
  ctx.scopes.clear();
  ctx.loaders = createLoaders(ctx.em);
}

async function reread<T>(ctx: Context, load: (ctx: Context) => Promise<T | null>): Promise<T> {
  refresh(ctx);
  return (await load(ctx))!;
}

/** A case the caller may not see reads like one that does not exist. */
async function visibleCase(ctx: Context, accidentId: string): Promise<void> {
  if (!isRecordId(accidentId) || !(await viewOf(ctx, accidentId))) throw notFound('accidentId');
}

function officialsOnly(ctx: Context, what: string): void {
  if (!ctx.principal.grants.length) throw new DomainError('FORBIDDEN', `sign in as an official to list ${what}`);
}

@Resolver(() => AccidentType)
export class IntakeResolver {
  @Mutation(() => AccidentType, {
    description:
      'Registers an accident, with its investigation and approved report when known, for the investigating government\'s ' +
      'safety office (or one above it). Idempotent on the report\'s document number: the same content again returns the ' +
      'same case; different content under that number is refused (BAD_USER_INPUT naming what differs).',
  })
  async registerAccident(@Arg('input', () => RegisterAccidentInput) { originHazardId, ...input }: RegisterAccidentInput, @Ctx() ctx: Context) {
    // The hazard it came from (api/hazard), checked before anything is written, linked once the case is.
    const origin = originHazardId !== undefined && originHazardId !== null ? await originHazardOf(ctx, originHazardId, input.enterpriseId) : null;
    const id = await intake.registerAccident(ctx.em, ctx.principal, input);
    if (origin) await linkAccidentOrigin(ctx, id, origin);
    return reread(ctx, (c) => c.loaders.accident.load(id));
  }

  @Mutation(() => AccidentType, { description: 'Records the investigation of a registered accident, and its approved report when given' })
  async recordInvestigation(@Arg('input', () => RecordInvestigationInput) { accidentId, ...draft }: RecordInvestigationInput, @Ctx() ctx: Context) {
    await visibleCase(ctx, accidentId);
    await intake.recordInvestigation(ctx.em, ctx.principal, accidentId, draft);
    return reread(ctx, (c) => c.loaders.accident.load(accidentId));
  }

  @Mutation(() => AccidentType, { description: 'Records the approved report (批复) of an investigated accident. Idempotent on the document number' })
  async recordInvestigationReport(@Arg('input', () => RecordInvestigationReportInput) { accidentId, ...draft }: RecordInvestigationReportInput, @Ctx() ctx: Context) {
    await visibleCase(ctx, accidentId);
    await intake.recordInvestigationReport(ctx.em, ctx.principal, accidentId, draft);
    return reread(ctx, (c) => c.loaders.accident.load(accidentId));
  }

  @Mutation(() => AccidentType, {
    description:
      'Corrects a case before closure (INVALID_TRANSITION after closeAccidentCase). Each correction is one entry in the ' +
      'case\'s audit trail, with the reason and every field before and after; one that changes nothing writes nothing.',
  })
  async correctAccidentCase(@Arg('input', () => CorrectAccidentCaseInput) { accidentId, reason, originHazardId, ...patch }: CorrectAccidentCaseInput, @Ctx() ctx: Context) {
    await visibleCase(ctx, accidentId);
    // As at registration: a hazard the caller sees, of the case's enterprise (as corrected), checked before anything is written.
    let origin: Awaited<ReturnType<typeof originHazardOf>> | null = null;
    if (originHazardId !== undefined && originHazardId !== null) {
      const enterpriseId = patch.accident?.enterpriseId ?? (await ctx.loaders.accident.load(accidentId))?.enterprise.id;
      origin = await originHazardOf(ctx, originHazardId, enterpriseId);
    }
    await intake.correctAccidentCase(ctx.em, ctx.principal, accidentId, reason, patch, new Date(), origin?.id);
    if (origin) await linkAccidentOrigin(ctx, accidentId, origin);
    return reread(ctx, (c) => c.loaders.accident.load(accidentId));
  }

  @FieldResolver(() => [AuditEntryType], { description: 'Registration, corrections and closure of the case, with who and why (insiders)' })
  async auditTrail(@Root() accident: Accident, @Ctx() ctx: Context): Promise<AuditEntry[]> {
    return (await ctx.loaders.auditBySubject.load(accident.id)).filter((e) => e.subjectType === 'accident');
  }
}

@Resolver(() => RegionType)
export class RegionRegisterResolver {
  @Mutation(() => RegionType, { description: 'Adds a region under one the administrator covers (a province: its own administrator)' })
  async createRegion(@Arg('input', () => CreateRegionInput) input: CreateRegionInput, @Ctx() ctx: Context) {
    const id = await register.createRegion(ctx.em, ctx.principal, input);
    return reread(ctx, (c) => c.loaders.region.load(id));
  }

  @Mutation(() => RegionType)
  async updateRegion(@Arg('input', () => UpdateRegionInput) { regionId, ...change }: UpdateRegionInput, @Ctx() ctx: Context) {
    const id = await register.updateRegion(ctx.em, ctx.principal, regionId, change);
    return reread(ctx, (c) => c.loaders.region.load(id));
  }
}

@Resolver(() => DepartmentType)
export class DepartmentRegisterResolver {
  @Query(() => [DepartmentType], { description: 'Departments of a region and the regions under it, for officials' })
  async departments(
    @Arg('regionId', () => ID) regionId: string,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 100 }) first: number,
  ): Promise<Department[]> {
    officialsOnly(ctx, 'departments');
    const region = isRecordId(regionId) ? await ctx.loaders.region.load(regionId) : null;
    if (!region) throw notFound('regionId');
    const rows = await ctx.em.find(
      Department,
      { region: { code: { $like: `${regionPrefix(region.code)}%` } } },
      { orderBy: { region: { code: 'asc' }, name: 'asc' }, limit: Math.min(Math.max(first, 0), 200) },
    );
    ctx.loaders.prime(Department, rows);
    return rows;
  }

  @FieldResolver(() => RegionType)
  async region(@Root() department: Department, @Ctx() ctx: Context) {
    return (await ctx.loaders.region.load(department.region.id))!;
  }

  @Mutation(() => DepartmentType)
  async createDepartment(@Arg('input', () => CreateDepartmentInput) input: CreateDepartmentInput, @Ctx() ctx: Context) {
    const id = await register.createDepartment(ctx.em, ctx.principal, input);
    return reread(ctx, (c) => c.loaders.department.load(id));
  }

  @Mutation(() => DepartmentType)
  async updateDepartment(@Arg('input', () => UpdateDepartmentInput) { departmentId, ...change }: UpdateDepartmentInput, @Ctx() ctx: Context) {
    const id = await register.updateDepartment(ctx.em, ctx.principal, departmentId, change);
    return reread(ctx, (c) => c.loaders.department.load(id));
  }
}

@Resolver(() => EnterpriseType)
export class EnterpriseRegisterResolver {
  @Query(() => [EnterpriseType], { description: 'Enterprises, by home region (and below) and a name part or credit code, for officials' })
  async enterprises(
    @Ctx() ctx: Context,
    @Arg('regionId', () => ID, { nullable: true }) regionId?: string,
    @Arg('search', () => String, { nullable: true }) search?: string,
    @Arg('first', () => Int, { defaultValue: 50 }) first = 50,
  ): Promise<Enterprise[]> {
    officialsOnly(ctx, 'enterprises');
    const where: Record<string, unknown>[] = [];
    if (regionId) {
      const region = isRecordId(regionId) ? await ctx.loaders.region.load(regionId) : null;
      if (!region) throw notFound('regionId');
      where.push({ homeRegion: { code: { $like: `${regionPrefix(region.code)}%` } } });
    }
    if (search) {
      const text = singleLine('search', search);
      const pattern = `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      where.push({ $or: [{ name: { $ilike: pattern } }, { creditCode: text.toUpperCase() }] });
    }
    const rows = await ctx.em.find(Enterprise, where.length ? { $and: where } : {}, { orderBy: { name: 'asc', id: 'asc' }, limit: Math.min(Math.max(first, 0), 200) });
    ctx.loaders.prime(Enterprise, rows);
    return rows;
  }

  @FieldResolver(() => RegionType)
  async homeRegion(@Root() enterprise: Enterprise, @Ctx() ctx: Context) {
    return (await ctx.loaders.region.load(enterprise.homeRegion.id))!;
  }

  @Mutation(() => EnterpriseType)
  async createEnterprise(@Arg('input', () => CreateEnterpriseInput) input: CreateEnterpriseInput, @Ctx() ctx: Context) {
    const id = await register.createEnterprise(ctx.em, ctx.principal, input);
    return reread(ctx, (c) => c.loaders.enterprise.load(id));
  }

  @Mutation(() => EnterpriseType)
  async updateEnterprise(@Arg('input', () => UpdateEnterpriseInput) { enterpriseId, ...change }: UpdateEnterpriseInput, @Ctx() ctx: Context) {
    const id = await register.updateEnterprise(ctx.em, ctx.principal, enterpriseId, change);
    return reread(ctx, (c) => c.loaders.enterprise.load(id));
  }
}

export const INTAKE_RESOLVERS = [IntakeResolver, RegionRegisterResolver, DepartmentRegisterResolver, EnterpriseRegisterResolver, ImportResolver] as const;
