import { DownloadOutlined, QrcodeOutlined } from '@ant-design/icons';
import { Button, Image, Popover, Space } from 'antd';
import { useTranslation } from 'react-i18next';

export const qrSizes = [256, 512, 1024] as const;
export type QrSize = (typeof qrSizes)[number];

/** A code's QR preview (on hover) and its PNG downloads in 256/512/1024 pixels; live codes and group codes alike. */
export function QrButtons({ src, fileName }: { src: (size: QrSize) => string; fileName: string }) {
  const { t } = useTranslation();
  return (
    <Space size={4}>
      <Popover content={<Image src={src(256)} width={200} height={200} preview={false} alt={t('liveCodes.qr')} />}>
        <Button size="small" icon={<QrcodeOutlined />} aria-label={t('liveCodes.qr')} />
      </Popover>
      {qrSizes.map((size) => (
        <Button key={size} size="small" icon={<DownloadOutlined />} href={src(size)} download={`${fileName}-${size}.png`}>{size}</Button>
      ))}
    </Space>
  );
}
