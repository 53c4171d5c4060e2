import { CheckOutlined, DownOutlined, PlusOutlined, SwapOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button, Dropdown, type MenuProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { switchWorkspace } from '../api/auth';
import { useErrorToast } from '../components/errors';
import { useSession } from '../auth/session';
import { CreateWorkspaceModal } from './create-workspace-modal';

export function WorkspaceSwitcher({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const me = useSession();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const toast = useErrorToast();
  const [creating, setCreating] = useState(false);

  const onSwitch = async (workspaceId: string) => {
    if (workspaceId === me.workspace?.id) return;
    try {
      await switchWorkspace(workspaceId);
      queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
      await queryClient.invalidateQueries({ queryKey: ['auth'] });
      void navigate('/');
    } catch (e) {
      toast(e);
    }
  };

  const items: MenuProps['items'] = [
    ...me.workspaces.map((w) => ({
      key: w.id,
      icon: w.id === me.workspace?.id ? <CheckOutlined /> : <span style={{ display: 'inline-block', width: 14 }} />,
      label: (
        <span>
          {w.name} <span style={{ color: '#8c8c8c', fontSize: 12 }}>· {w.roleName}</span>
        </span>
      ),
    })),
    ...(me.workspaces.length ? [{ type: 'divider' as const }] : []),
    { key: '__create', icon: <PlusOutlined />, label: t('workspace.create') },
  ];

  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{ items, onClick: ({ key }) => (key === '__create' ? setCreating(true) : void onSwitch(key)) }}
      >
        <Button type="text" data-testid="workspace-switcher" style={{ maxWidth: compact ? 150 : 280 }}>
          <SwapOutlined />
          <span style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
            {me.workspace?.name ?? t('workspace.none')}
          </span>
          <DownOutlined style={{ fontSize: 10 }} />
        </Button>
      </Dropdown>
      <CreateWorkspaceModal open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
