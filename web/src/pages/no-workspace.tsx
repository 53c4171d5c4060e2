import { PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { useSession } from '../auth/session';
import { CreateWorkspaceModal } from '../layout/create-workspace-modal';

/** Signed in but in no workspace (all memberships ended, or a fresh account): create one. */
export default function NoWorkspacePage() {
  const { t } = useTranslation();
  const me = useSession();
  const [open, setOpen] = useState(false);
  if (me.member) return <Navigate to="/" replace />;
  return (
    <Card>
      <Empty description={me.workspaces.length ? t('workspace.pickOrCreate') : t('workspace.noneHint')}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen(true)}>{t('workspace.create')}</Button>
      </Empty>
      <CreateWorkspaceModal open={open} onClose={() => setOpen(false)} />
    </Card>
  );
}
