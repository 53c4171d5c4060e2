import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { BusinessHoursTab } from './business-hours';
import { CannedTab } from './canned';
import { ChannelMessagesTab } from './channel-messages';
import { CsatReportTab } from './csat-report';
import { KeywordRulesTab } from './keyword-rules';

const tabs = ['rules', 'hours', 'channels', 'canned', 'csat'] as const;

/** 自动回复与满意度: keyword rules, business hours, welcome and survey per channel, canned responses, CSAT. */
export default function InboxSettingsPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const active = tabs.find((k) => k === params.get('tab')) ?? 'rules';
  const content = { rules: <KeywordRulesTab />, hours: <BusinessHoursTab />, channels: <ChannelMessagesTab />, canned: <CannedTab />, csat: <CsatReportTab /> };
  return (
    <>
      <PageHeader title={t('autoreplies.title')} description={t('autoreplies.hint')} />
      <Card>
        <Tabs activeKey={active} onChange={(k) => setParams({ tab: k }, { replace: true })} destroyOnHidden
          items={tabs.map((k) => ({ key: k, label: t(`autoreplies.tabs.${k}`), children: content[k] }))} />
      </Card>
    </>
  );
}
