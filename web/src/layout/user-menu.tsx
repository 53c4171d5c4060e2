import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Avatar, Button, Dropdown, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { logout, meKey } from '../api/auth';
import { useSession } from '../auth/session';

export function UserMenu({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const me = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const onLogout = async () => {
    try {
      await logout();
    } finally {
      queryClient.clear();
      queryClient.setQueryData(meKey, null);
      void navigate('/login', { replace: true });
    }
  };

  const items: MenuProps['items'] = [
    { key: 'who', disabled: true, label: <span style={{ color: '#8c8c8c' }}>{me.user.email}</span> },
    { type: 'divider' },
    { key: 'profile', icon: <UserOutlined />, label: <span data-testid="profile-link">{t('nav.profile')}</span> },
    { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="logout">{t('auth.logout')}</span> },
  ];

  return (
    <Dropdown
      trigger={['click']}
      menu={{ items, onClick: ({ key }) => (key === 'logout' ? void onLogout() : key === 'profile' ? void navigate('/profile') : undefined) }}
    >
      <Button type="text" data-testid="user-menu" style={{ paddingInline: 6 }}>
        <Avatar size="small" style={{ background: '#1677ff' }}>
          {(me.user.name || me.user.email).slice(0, 1).toUpperCase()}
        </Avatar>
        {compact ? null : <span>{me.user.name || me.user.email}</span>}
      </Button>
    </Dropdown>
  );
}
