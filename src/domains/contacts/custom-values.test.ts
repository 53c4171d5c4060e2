import { describe, expect, it } from 'vitest';
import { checkCustomValues, type FieldDefinition } from './custom-values.js';

const field = (key: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  key,
  label: key,
  type,
  options: [],
  required: false,
  ...extra,
});

const fields = [
  field('nickname', 'text'),
  field('bio', 'long_text'),
  field('score', 'number'),
  field('budget', 'money'),
  field('signed_on', 'date'),
  field('vip', 'boolean'),
  field('site', 'url'),
  field('level', 'single_select', { options: ['金卡', '银卡'] }),
  field('interests', 'multi_select', { options: ['茶', '咖啡', '旅行'] }),
  field('region_code', 'text', { required: true }),
];

const check = (input: Record<string, unknown>, coerce = false, mode: 'create' | 'update' = 'update') => checkCustomValues(fields, input, { mode, coerce });

describe('custom field values', () => {
  it.each([
    ['nickname', 'Ada', 'Ada'],
    ['bio', 'x'.repeat(5000), 'x'.repeat(5000)],
    ['score', 42.5, 42.5],
    ['budget', 1999.99, 1999.99],
    ['signed_on', '2026-02-28', '2026-02-28'],
    ['vip', true, true],
    ['site', 'https://renmai.dev', 'https://renmai.dev'],
    ['level', '金卡', '金卡'],
    ['interests', ['茶', '旅行', '茶'], ['茶', '旅行']],
  ])('accepts a valid %s', (key, value, stored) => {
    expect(check({ [key]: value })).toEqual({ values: { [key]: stored }, errors: [] });
  });

  it.each([
    ['nickname', 12, 'must be text'],
    ['nickname', 'x'.repeat(1001), 'at most 1000'],
    ['score', '12', 'not a number'],
    ['score', Infinity, 'not a number'],
    ['budget', 10.005, 'two decimals'],
    ['signed_on', '2026-02-30', 'not a date'],
    ['signed_on', '28/02/2026', 'not a date'],
    ['vip', 'yes', 'not yes or no'],
    ['site', 'javascript:alert(1)', 'http(s)'],
    ['site', 'not a url', 'not a URL'],
    ['level', '铜卡', 'not one of the options'],
    ['interests', ['茶', '酒'], 'not options: 酒'],
    ['interests', '茶', 'list of options'],
  ])('refuses a bad %s (%j)', (key, value, reason) => {
    const { errors } = check({ [key]: value });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe(`custom.${key}`);
    expect(errors[0]!.message).toContain(reason);
  });

  it('reads CSV text into each type when coercing', () => {
    expect(check({ score: '1,234.5', budget: '88', vip: '是', interests: '茶；咖啡、旅行' }, true).values).toEqual({
      score: 1234.5,
      budget: 88,
      vip: true,
      interests: ['茶', '咖啡', '旅行'],
    });
  });

  it('refuses unknown keys and enforces required fields', () => {
    expect(check({ nope: 1 }).errors).toEqual([{ path: 'custom.nope', message: 'Unknown custom field' }]);
    expect(check({}, false, 'create').errors).toEqual([{ path: 'custom.region_code', message: 'region_code is required' }]);
    expect(check({ region_code: '' }).errors[0]!.message).toContain('required');
    expect(check({ nickname: '' }).values).toEqual({ nickname: null });
  });
});
