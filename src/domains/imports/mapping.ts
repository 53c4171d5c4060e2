// Which column feeds which contact field: the targets an import understands, the suggestion made
// from a file's headers, and the check a mapping passes before an import may start.
import { createHash } from 'node:crypto';
import type { FieldError } from '../../platform/http/errors.js';
import type { FieldDefinition } from '../contacts/index.js';

export type Mapping = Record<string, string>;

export const channelTypes = [
  'wecom', 'wechat_openid', 'wechat_unionid', 'whatsapp', 'telegram', 'line',
  'messenger', 'instagram', 'email', 'phone', 'web_visitor', 'sms',
] as const;

export const scalarTargets = [
  'name', 'phone', 'email', 'company', 'title', 'city', 'region', 'gender', 'birthday',
  'stage', 'owner', 'sourceChannel', 'influence', 'tags',
] as const;
export type ScalarTarget = (typeof scalarTargets)[number];

// Header words people use for each field, compared after lower-casing and dropping spaces,
// underscores, hyphens and colons.
const synonyms: Record<ScalarTarget, string[]> = {
  name: ['name', 'fullname', 'contactname', '姓名', '名字', '客户名称', '客户姓名', '联系人'],
  phone: ['phone', 'mobile', 'tel', 'telephone', 'cellphone', 'phonenumber', 'mobilephone', '手机', '手机号', '手机号码', '电话', '联系电话', '电话号码'],
  email: ['email', 'e-mail', 'mail', 'emailaddress', '邮箱', '电子邮箱', '邮件', '电子邮件'],
  company: ['company', 'organization', 'organisation', 'companyname', '公司', '公司名称', '单位', '企业'],
  title: ['title', 'jobtitle', 'position', 'role', '职位', '职务', '头衔'],
  city: ['city', '城市', '所在城市'],
  region: ['region', 'province', 'state', 'country', '地区', '省份', '区域', '国家'],
  gender: ['gender', 'sex', '性别'],
  birthday: ['birthday', 'birthdate', 'dateofbirth', 'dob', '生日', '出生日期'],
  stage: ['stage', 'lifecyclestage', 'status', '阶段', '客户阶段', '生命周期'],
  owner: ['owner', 'owneremail', 'assignee', 'salesrep', '负责人', '跟进人', '归属人', '所属员工'],
  sourceChannel: ['source', 'sourcechannel', 'channel', '来源', '来源渠道', '渠道'],
  influence: ['influence', '影响力'],
  tags: ['tags', 'tag', 'labels', '标签'],
};

const squash = (text: string) => text.trim().toLowerCase().replace(/[\s_\-:：]+/g, '');

const synonymIndex = new Map<string, string>(
  Object.entries(synonyms).flatMap(([target, words]) => words.map((w) => [squash(w), target] as const)),
);

/** Suggests a target per header: exact field names and synonyms, custom field keys and labels, identity.<channel>. */
export function suggestMapping(headers: readonly string[], fields: readonly FieldDefinition[]): Mapping {
  const custom = new Map<string, string>();
  for (const f of fields) {
    custom.set(squash(f.label), `custom.${f.key}`);
    custom.set(squash(f.key), `custom.${f.key}`);
  }
  const taken = new Set<string>();
  const mapping: Mapping = {};
  for (const header of headers) {
    const word = squash(header);
    const identity = /^identity\.?([a-z_]+)$/.exec(header.trim().toLowerCase())?.[1];
    const target =
      synonymIndex.get(word) ??
      custom.get(word.replace(/^custom\./, '')) ??
      (identity && (channelTypes as readonly string[]).includes(identity) ? `identity.${identity}` : undefined);
    if (target && !taken.has(target)) {
      mapping[header] = target;
      taken.add(target);
    } else {
      mapping[header] = 'ignore';
    }
  }
  return mapping;
}

/** The key a header set is remembered under: order and case do not matter. */
export function headersKey(headers: readonly string[]): string {
  const normal = [...new Set(headers.map(squash))].sort();
  return createHash('sha256').update(JSON.stringify(normal)).digest('hex');
}

/** The problems with a mapping, each naming the header (`mapping.<header>`); empty when it can run. */
export function checkMapping(mapping: Mapping, headers: readonly string[], fields: readonly FieldDefinition[]): FieldError[] {
  const errors: FieldError[] = [];
  const known = new Set(headers);
  const customKeys = new Set(fields.map((f) => f.key));
  const used = new Map<string, string>();
  for (const [header, target] of Object.entries(mapping)) {
    const path = `mapping.${header}`;
    if (!known.has(header)) {
      errors.push({ path, message: 'No such column in the file' });
      continue;
    }
    if (target === 'ignore') continue;
    const problem = target.startsWith('custom.')
      ? !customKeys.has(target.slice(7)) && `Unknown custom field "${target.slice(7)}"`
      : target.startsWith('identity.')
        ? !(channelTypes as readonly string[]).includes(target.slice(9)) && `Unknown channel type "${target.slice(9)}"`
        : !(scalarTargets as readonly string[]).includes(target) && `Unknown target "${target}"`;
    if (problem) {
      errors.push({ path, message: problem });
      continue;
    }
    const earlier = used.get(target);
    if (earlier !== undefined) errors.push({ path, message: `"${earlier}" is already mapped to ${target}` });
    used.set(target, header);
  }
  const targets = new Set(used.keys());
  if (!targets.has('phone') && !targets.has('email') && ![...targets].some((t) => t.startsWith('identity.'))) {
    errors.push({ path: 'mapping', message: 'Map a phone, e-mail or identity column: contacts are matched on them, so a re-run never duplicates' });
  }
  return errors;
}
