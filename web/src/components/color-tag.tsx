import { Tag } from 'antd';
import type { ReactNode } from 'react';

/** A tag or stage chip in its configured colour (hex or an antd preset name). */
export function ColorTag({ color, children, closable, onClose }: { color?: string | null; children: ReactNode; closable?: boolean; onClose?: () => void }) {
  return (
    <Tag color={color ?? undefined} closable={closable} onClose={(e) => { e.preventDefault(); onClose?.(); }} style={{ marginInlineEnd: 4, marginBottom: 4 }}>
      {children}
    </Tag>
  );
}

export const presetColors = ['#1677ff', '#13c2c2', '#52c41a', '#faad14', '#fa8c16', '#f5222d', '#eb2f96', '#722ed1', '#8c8c8c'];
