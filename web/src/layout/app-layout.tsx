import { MenuOutlined } from '@ant-design/icons';
import { Button, Drawer, Flex, Grid, Layout, Menu, Spin, type MenuProps } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router';
import { hasPermission, SessionProvider, useMeQuery } from '../auth/session';
import { ErrorAlert } from '../components/errors';
import { LangSwitch } from './lang-switch';
import { InboxBackground } from '../pages/inbox/background';
import { navItems } from './nav';
import { NotificationsBell } from './notifications-bell';
import { UserMenu } from './user-menu';
import { WorkspaceSwitcher } from './workspace-switcher';

export function PageSpinner() {
  return (
    <Flex justify="center" align="center" style={{ minHeight: 240 }}>
      <Spin size="large" />
    </Flex>
  );
}

function Brand({ collapsed }: { collapsed?: boolean }) {
  return (
    <div style={{ height: 56, display: 'flex', alignItems: 'center', paddingInline: 20, fontWeight: 600, fontSize: 18, color: '#1677ff', whiteSpace: 'nowrap' }}>
      {collapsed ? '人' : '人脉 Renmai'}
    </div>
  );
}

/** The signed-in shell: navigation (sider on desktop, drawer on phones), header, the page. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useMeQuery();
  const location = useLocation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const mobile = screens.md === false;
  const [collapsed, setCollapsed] = useState(false);
  const [drawerOpen, setDrawerOpen] = useState(false);

  if (me.isPending) return <PageSpinner />;
  if (me.isError) return <div style={{ padding: 24 }}><ErrorAlert error={me.error} /></div>;
  if (!me.data) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />;
  }

  const session = me.data;
  const visible = navItems.filter((item) => hasPermission(session, item.permission));
  // The longest matching path wins: /contacts/import is "Import", /contacts/<id> is "Contacts".
  const selected = visible
    .filter((item) => location.pathname === item.path || location.pathname.startsWith(`${item.path}/`))
    .sort((a, b) => b.path.length - a.path.length)[0]?.path ?? location.pathname;
  const menuItems: MenuProps['items'] = (['customers', 'settings'] as const)
    .map((group) => ({ group, items: visible.filter((item) => (item.group ?? 'settings') === group) }))
    .filter((g) => g.items.length)
    .map((g) => ({ type: 'group' as const, key: g.group, label: collapsed && !mobile ? null : t(`nav.${g.group}`), children: g.items.map((item) => ({ key: item.path, icon: item.icon, label: <>{t(item.labelKey)}{item.extra}</> })) }));
  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[selected]}
      items={menuItems}
      onClick={({ key }) => {
        setDrawerOpen(false);
        void navigate(key);
      }}
      style={{ borderInlineEnd: 0 }}
    />
  );

  return (
    <SessionProvider me={session}>
      <Layout style={{ minHeight: '100vh' }}>
        {mobile ? (
          <Drawer placement="left" open={drawerOpen} onClose={() => setDrawerOpen(false)} size={260} title={<Brand />} styles={{ body: { padding: 0 }, header: { padding: '0 8px' } }}>
            {menu}
          </Drawer>
        ) : (
          <Layout.Sider theme="light" collapsible collapsed={collapsed} onCollapse={setCollapsed} width={220} style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
            <Brand collapsed={collapsed} />
            {menu}
          </Layout.Sider>
        )}
        <Layout>
          <Layout.Header style={{ background: '#fff', paddingInline: mobile ? 8 : 16, height: 56, lineHeight: '56px', borderBottom: '1px solid #f0f0f0', display: 'flex', alignItems: 'center', gap: 4 }}>
            {mobile ? <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} aria-label={t('nav.menu')} data-testid="nav-toggle" /> : null}
            <WorkspaceSwitcher compact={mobile} />
            <div style={{ flex: 1 }} />
            {session.member ? <NotificationsBell /> : null}
            {hasPermission(session, 'inbox:read') ? <InboxBackground /> : null}
            <LangSwitch signedIn />
            <UserMenu compact={mobile} />
          </Layout.Header>
          <Layout.Content style={{ padding: mobile ? 12 : 24, minWidth: 0 }}>
            <Suspense fallback={<PageSpinner />}>
              <Outlet />
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
    </SessionProvider>
  );
}
