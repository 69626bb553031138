import type { EntityManager } from '@mikro-orm/postgresql';
import type { RoleGrant } from '../domain/access.js';
import { AppUser, Department, Enterprise, RoleGrantRow } from '../schema/entities/index.js';

/**
 * One demo user per role, so a newcomer can act as each in the IDE (`npm run token -- --demo`); and one for each
 * role a campaign evaluation needs in 麒麟区 (its towns' officials and leaders in charge, its lead departments),
 * whose towns `seedDemoCampaigns` (infra/demo-campaigns.ts) enters; and the enterprise contacts and the inspector
 * the demo's hazards need (`seedDemoHazards`, infra/demo-hazards.ts).
 */
export interface DemoUser {
  id: string;
  name: string;
  grants: RoleGrant[];
}

export async function demoUsers(em: EntityManager): Promise<DemoUser[]> {
  const dept = async (name: string) => (await em.findOneOrFail(Department, { name })).id;
  const ent = async (name: string) => (await em.findOneOrFail(Enterprise, { name })).id;
  return [
    { id: 'qilin-office', name: '麒麟区安委办 李主任', grants: [{ role: 'SAFETY_OFFICE', regionCode: '530302' }] },
    { id: 'qilin-leader', name: '麒麟区分管副区长 钱某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '530302' }] },
    { id: 'qilin-discipline', name: '麒麟区纪委监委 周某', grants: [{ role: 'DISCIPLINE_INSPECTION', regionCode: '530302' }] },
    { id: 'qilin-housing', name: '麒麟区住建局 王科长', grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: '530302', departmentId: await dept('麒麟区住房和城乡建设局') }] },
    { id: 'qilin-emergency', name: '麒麟区应急管理局 张科长', grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: '530302', departmentId: await dept('麒麟区应急管理局') }] },
    { id: 'qilin-transport', name: '麒麟区交通运输局 赵科长', grants: [{ role: 'DEPARTMENT_OFFICIAL', regionCode: '530302', departmentId: await dept('麒麟区交通运输局') }] },
    { id: 'nanning-town', name: '南宁街道 安全员 刘某', grants: [{ role: 'TOWN_OFFICIAL', regionCode: '530302001' }] },
    { id: 'nanning-leader', name: '南宁街道分管副主任 马某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '530302001' }] },
    { id: 'baishijiang-town', name: '白石江街道 安全员 黄某', grants: [{ role: 'TOWN_OFFICIAL', regionCode: '530302003' }] },
    { id: 'baishijiang-leader', name: '白石江街道分管副主任 罗某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '530302003' }] },
    { id: 'yuezhou-town', name: '越州镇 安监站 段某', grants: [{ role: 'TOWN_OFFICIAL', regionCode: '530302101' }] },
    { id: 'yuezhou-leader', name: '越州镇分管副镇长 蒋某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '530302101' }] },
    { id: 'builder-contact', name: '曲靖市某建设工程有限公司 安全负责人 孙某', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: await ent('曲靖市某建设工程有限公司') }] },
    { id: 'logistics-contact', name: '曲靖市某物流运输有限公司 安全负责人 吴某', grants: [{ role: 'ENTERPRISE_CONTACT', enterpriseId: await ent('曲靖市某物流运输有限公司') }] },
    {
      id: 'qilin-inspector',
      name: '麒麟区应急管理局 执法检查员 冯某',
      grants: [{ role: 'INSPECTOR', regionCode: '530302', departmentId: await dept('麒麟区应急管理局') }],
    },
    { id: 'qujing-office', name: '曲靖市安委办 陈某', grants: [{ role: 'UPPER_OFFICE', regionCode: '530300' }] },
    { id: 'lvliang-office', name: '吕梁市安委办 郭主任', grants: [{ role: 'SAFETY_OFFICE', regionCode: '141100' }] },
    { id: 'lvliang-leader', name: '吕梁市分管副市长 杨某', grants: [{ role: 'LEADER_IN_CHARGE', regionCode: '141100' }] },
    { id: 'shanxi-office', name: '山西省安委办 赵某', grants: [{ role: 'UPPER_OFFICE', regionCode: '140000' }] },
    { id: 'yunnan-admin', name: '云南省应急管理厅 系统管理员 何某', grants: [{ role: 'ADMINISTRATOR', regionCode: '530000' }] },
  ];
}

export async function insertUsers(em: EntityManager, users: DemoUser[]): Promise<void> {
  for (const u of users) {
    const user = em.create(AppUser, { id: u.id, name: u.name });
    for (const g of u.grants) {
      em.create(RoleGrantRow, {
        user,
        role: g.role,
        regionCode: g.regionCode ?? null,
        departmentId: g.departmentId ?? null,
        enterpriseId: g.enterpriseId ?? null,
        evaluationId: g.evaluationId ?? null,
      });
    }
  }
  await em.flush();
}
