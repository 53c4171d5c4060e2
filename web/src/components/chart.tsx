import { Flex, Spin } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { lazy, Suspense } from 'react';

export interface ChartProps {
  /** An ECharts option; only bar, line and heatmap series with grid, legend, tooltip and visualMap are registered. */
  option: EChartsCoreOption;
  height?: number;
  onClick?: (point: { name: string; dataIndex: number; data: unknown }) => void;
  testId?: string;
}

const EChartsView = lazy(() => import('./echarts-view'));

/** A chart, drawn by ECharts once its chunk has loaded (a spinner of the same height until then). */
export function Chart(props: ChartProps) {
  const height = props.height ?? 260;
  return (
    <Suspense fallback={<Flex justify="center" align="center" style={{ height }}><Spin /></Flex>}>
      <EChartsView {...props} />
    </Suspense>
  );
}
