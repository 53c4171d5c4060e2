import { TranslationOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { meKey, updateMe } from '../api/auth';
import type { Me } from '../api/types';
import { applyLanguage, toLanguage } from '../i18n';

/** Toggles 中文 ⇄ English; remembered on this device and, when signed in, on the user. */
export function LangSwitch({ signedIn }: { signedIn: boolean }) {
  const { i18n } = useTranslation();
  const queryClient = useQueryClient();
  const current = toLanguage(i18n.language) ?? 'zh-CN';
  const next = current === 'zh-CN' ? 'en' : 'zh-CN';

  const onClick = async () => {
    await applyLanguage(next);
    if (!signedIn) return;
    try {
      const { user } = await updateMe({ locale: next });
      queryClient.setQueryData<Me | null>(meKey, (me) => (me ? { ...me, user } : me));
    } catch {
      // The language still changed here; the account keeps the old one until the next switch.
    }
  };

  return (
    <Button type="text" icon={<TranslationOutlined />} onClick={onClick} data-testid="lang-switch" aria-label="Language">
      {next === 'en' ? 'EN' : '中文'}
    </Button>
  );
}
