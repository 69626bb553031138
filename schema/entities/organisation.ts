import { randomUUID } from 'node:crypto';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import type { Ref } from '@mikro-orm/core';
import type { RegionLevel } from '../../domain/regions.js';
import type { Sector } from '../../domain/case.js';

/** A government level's territory: province, city, county/district, town/sub-district. */
@Entity({ tableName: 'region' })
export class Region {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** 行政区划代码 */
  @Property({ type: 'string', length: 12, unique: true })
  code!: string;

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'string', length: 16 })
  level!: RegionLevel;

  @ManyToOne(() => Region, { nullable: true, ref: true, index: true })
  parent?: Ref<Region> | null;

  /** Name of the region's safety office (安委办), the addressee of filings and escalations. */
  @Property({ type: 'text' })
  safetyOfficeName!: string;
}

export const DEPARTMENT_KINDS = ['SAFETY_OFFICE', 'EMERGENCY_MANAGEMENT', 'SECTOR_REGULATOR', 'DISCIPLINE_INSPECTION', 'PUBLIC_SECURITY', 'OTHER'] as const;
export type DepartmentKind = (typeof DEPARTMENT_KINDS)[number];

/** A department of a government; its name is unique within the region, so a picker never shows two alike. */
@Entity({ tableName: 'department' })
@Unique({ properties: ['region', 'name'] })
export class Department {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'string', length: 32 })
  kind!: DepartmentKind;

  @ManyToOne(() => Region, { ref: true, index: true })
  region!: Ref<Region>;
}

@Entity({ tableName: 'enterprise' })
export class Enterprise {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  /** 统一社会信用代码 */
  @Property({ type: 'string', length: 18, nullable: true, unique: true })
  creditCode?: string | null;

  @Property({ type: 'string', length: 32 })
  sector!: Sector;

  @ManyToOne(() => Region, { ref: true })
  @Index()
  homeRegion!: Ref<Region>;
}
