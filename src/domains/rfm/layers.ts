// The eight classic RFM layers. Each of R, F and M is "high" (↑) when its score is at or above
// the workspace's bound for it (r_high, f_high, m_high; 3 by default, i.e. the top three of five
// scores) and "low" (↓) below; M decides important (重要) vs general (一般), R and F the rest:
//
//   R↑ F↑ → value (价值)   R↑ F↓ → develop (发展)   R↓ F↑ → keep (保持)   R↓ F↓ → retain (挽留)
import { sql, type RawBuilder } from 'kysely';

export const layers = [
  'important_value', 'important_develop', 'important_keep', 'important_retain',
  'general_value', 'general_develop', 'general_keep', 'general_retain',
] as const;
export type Layer = (typeof layers)[number];

export const defaultLayerNames: Readonly<Record<Layer, string>> = {
  important_value: '重要价值',
  important_develop: '重要发展',
  important_keep: '重要保持',
  important_retain: '重要挽留',
  general_value: '一般价值',
  general_develop: '一般发展',
  general_keep: '一般保持',
  general_retain: '一般挽留',
};

export interface HighBounds {
  r: number;
  f: number;
  m: number;
}

/** The layer of three scores (the same rule as layerSql, for code and tests). */
export function layerOf(r: number, f: number, m: number, high: HighBounds): Layer {
  const rf = r >= high.r ? (f >= high.f ? 'value' : 'develop') : f >= high.f ? 'keep' : 'retain';
  return `${m >= high.m ? 'important' : 'general'}_${rf}`;
}

/** The layer in SQL, from score columns (or expressions) r, f and m. */
export function layerSql(r: RawBuilder<unknown>, f: RawBuilder<unknown>, m: RawBuilder<unknown>, high: HighBounds): RawBuilder<string> {
  return sql<string>`(case when ${m} >= ${high.m}::int then 'important_' else 'general_' end ||
    case when ${r} >= ${high.r}::int then (case when ${f} >= ${high.f}::int then 'value' else 'develop' end)
         else (case when ${f} >= ${high.f}::int then 'keep' else 'retain' end) end)`;
}

export const layerName = (names: Partial<Record<Layer, string>>, layer: Layer) => names[layer] ?? defaultLayerNames[layer];
