import { Checkbox, Col, Row, Typography } from 'antd';
import type { PermissionCatalog } from '../api/types';
import { useLabels } from './labels';

/** Permissions grouped as the server lists them; each group has a "whole group" box. */
export function PermissionChecklist({ catalog, value = [], onChange, disabled }: {
  catalog: PermissionCatalog['groups'];
  value?: string[];
  onChange?: (value: string[]) => void;
  disabled?: boolean;
}) {
  const labels = useLabels();
  const chosen = new Set(value);
  const set = (perms: string[], on: boolean) => {
    const next = new Set(chosen);
    for (const p of perms) {
      if (on) next.add(p);
      else next.delete(p);
    }
    onChange?.([...next]);
  };
  return (
    <div>
      {catalog.map(({ group, permissions }) => {
        const count = permissions.filter((p) => chosen.has(p)).length;
        return (
          <div key={group} style={{ padding: '8px 0', borderBottom: '1px solid #f0f0f0' }}>
            <Checkbox disabled={disabled} checked={count === permissions.length} indeterminate={count > 0 && count < permissions.length}
              onChange={(e) => set(permissions, e.target.checked)}>
              <Typography.Text strong>{labels.group(group)}</Typography.Text>
            </Checkbox>
            <Row style={{ paddingInlineStart: 24, marginTop: 4 }} gutter={[8, 4]}>
              {permissions.map((p) => (
                <Col key={p} xs={24} sm={12}>
                  <Checkbox disabled={disabled} checked={chosen.has(p)} onChange={(e) => set([p], e.target.checked)} data-testid={`perm-${p}`}>
                    {labels.permission(p)}
                  </Checkbox>
                </Col>
              ))}
            </Row>
          </div>
        );
      })}
    </div>
  );
}
