// Every console label exists in both languages: a key in one file and not the other would show its raw name.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const dir = join(import.meta.dirname, '../web/src/i18n');

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

function labels(language: string): string[] {
  const files = [`${language}.json`, ...readdirSync(join(dir, 'areas')).filter((f) => f.endsWith(`.${language}.json`)).map((f) => `areas/${f}`)];
  // Plural forms differ by language (English has _one and _other, Chinese only _other): compare the base key.
  return files.flatMap((f) => keys(JSON.parse(readFileSync(join(dir, f), 'utf8')))).map((k) => k.replace(/_(zero|one|two|few|many|other)$/, ''));
}

test('the console has the same labels in zh-CN and English', () => {
  const zh = new Set(labels('zh-CN'));
  const en = new Set(labels('en'));
  expect([...en].filter((k) => !zh.has(k))).toEqual([]);
  expect([...zh].filter((k) => !en.has(k))).toEqual([]);
});
