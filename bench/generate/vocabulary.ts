// Word lists the generators draw from. Real places, so data looks like data in demos and
// screenshots; faker's zh_CN cities are invented (上南市), so Chinese cities are listed here.

export type Country = 'CN' | 'US' | 'GB' | 'SG' | 'JP';

export const cities: Record<Country, readonly string[]> = {
  CN: ['上海', '北京', '深圳', '广州', '杭州', '成都', '南京', '武汉', '苏州', '西安', '重庆', '天津', '长沙', '厦门', '青岛', '宁波', '郑州', '合肥', '福州', '昆明', '佛山', '东莞', '无锡', '大连'],
  US: ['New York', 'San Francisco', 'Los Angeles', 'Seattle', 'Chicago', 'Boston', 'Austin', 'San Jose'],
  GB: ['London', 'Manchester', 'Edinburgh', 'Birmingham', 'Bristol'],
  SG: ['Singapore'],
  JP: ['Tokyo', 'Osaka', 'Yokohama', 'Fukuoka'],
};

/** The currency of money values (custom field, orders) for a contact in that country. */
export const currencyOf: Record<Country, string> = { CN: 'CNY', US: 'USD', GB: 'GBP', SG: 'SGD', JP: 'JPY' };

/** Ordered most to least common: the generator draws with Zipf weights by position. */
export const tagVocabulary = [
  '潜在客户', '微信好友', 'VIP', '老客户', 'newsletter', '展会', '高意向', '已成交', '复购', '经销商',
  '合作伙伴', 'webinar', '小程序', 'trial', '企业客户', '推荐人', 'KOL', '直播间', '门店', '售后',
  'enterprise', 'SMB', '华东', '华南', '海外', '投诉', '沉睡', '生日月', 'beta', '内测',
] as const;

export const lifecycleStages = [
  ['subscriber', 20],
  ['lead', 35],
  ['marketing_qualified', 12],
  ['sales_qualified', 8],
  ['opportunity', 7],
  ['customer', 15],
  ['evangelist', 3],
] as const;
export type LifecycleStage = (typeof lifecycleStages)[number][0];

export const zhEmailDomains = [['qq.com', 40], ['163.com', 20], ['126.com', 8], ['gmail.com', 8], ['outlook.com', 6], ['foxmail.com', 6], ['sina.com', 4], ['aliyun.com', 3]] as const;
export const enEmailDomains = [['gmail.com', 45], ['outlook.com', 15], ['yahoo.com', 8], ['icloud.com', 8], ['hotmail.com', 6], ['proton.me', 3]] as const;

/** Pinyin-ish handles for Chinese contacts' e-mail (names are not romanised; handles rarely are). */
export const pinyinSyllables = ['wang', 'li', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sun', 'ma', 'zhu', 'hu', 'guo', 'he', 'lin', 'luo', 'gao', 'fang', 'na', 'jing', 'wei', 'min', 'jie', 'lei', 'yan', 'xiao', 'hong', 'ming', 'hui', 'ling', 'tao', 'qiang', 'yun', 'ping', 'bin', 'hao', 'xin'] as const;

export const zhCompanySuffixes = [['有限公司', 50], ['科技有限公司', 25], ['股份有限公司', 10], ['贸易有限公司', 10], ['（集团）有限公司', 5]] as const;
export const enCompanySuffixes = [['Ltd', 30], ['Inc.', 30], ['LLC', 20], ['Pte. Ltd.', 10], ['Group', 10]] as const;

/** The six custom fields every generated contact may carry, one of each kind. */
export const customFieldDefinitions = [
  { key: 'wechat_id', type: 'text', label: { 'zh-CN': '微信号', en: 'WeChat ID' } },
  { key: 'employees', type: 'number', label: { 'zh-CN': '员工人数', en: 'Employees' } },
  { key: 'budget', type: 'money', label: { 'zh-CN': '年度预算', en: 'Annual budget' } },
  { key: 'birthday', type: 'date', label: { 'zh-CN': '生日', en: 'Birthday' } },
  { key: 'source', type: 'select', label: { 'zh-CN': '来源', en: 'Source' }, options: ['wechat', 'website', 'referral', 'trade_show', 'douyin', 'xiaohongshu', 'cold_call'] },
  { key: 'interests', type: 'multi_select', label: { 'zh-CN': '兴趣', en: 'Interests' }, options: ['crm', 'marketing', 'ecommerce', 'analytics', 'ai', 'support', 'payments', 'logistics'] },
] as const;

export const sourceWeights = [['wechat', 30], ['website', 22], ['referral', 15], ['trade_show', 10], ['douyin', 10], ['xiaohongshu', 8], ['cold_call', 5]] as const;
