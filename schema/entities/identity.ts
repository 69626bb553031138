import { randomUUID } from 'node:crypto';
import { Collection, OptionalProps, type Ref } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, OneToMany, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Role } from '../../domain/access.js';

/** An official (or enterprise contact) who signs in with a bearer token whose `sub` is this id. */
@Entity({ tableName: 'app_user' })
export class AppUser {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'text' })
  id!: string;

  @Property({ type: 'text' })
  name!: string;

  @OneToMany(() => RoleGrantRow, (g) => g.user)
  grants = new Collection<RoleGrantRow>(this);

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** One role a user holds, scoped to a region (and below), a department, an enterprise or one evaluation. */
@Entity({ tableName: 'role_grant' })
export class RoleGrantRow {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => AppUser, { ref: true, deleteRule: 'cascade' })
  @Index()
  user!: Ref<AppUser>;

  @Property({ type: 'string', length: 32 })
  role!: Role;

  @Property({ type: 'string', length: 12, nullable: true })
  regionCode?: string | null;

  @Property({ type: 'uuid', nullable: true })
  departmentId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  enterpriseId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  evaluationId?: string | null;
}
