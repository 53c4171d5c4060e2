-- A live code registered with its channel's provider (WeCom 联系我, an official account's
-- parametric QR): the provider's id of it, and its QR code — the content Renmai draws, or the
-- provider's own image.
alter table live_codes add column provider_ref text check (length(provider_ref) between 1 and 512);
alter table live_codes add column provider_qr_content text check (length(provider_qr_content) between 1 and 2000);
alter table live_codes add column provider_qr_image_url text check (length(provider_qr_image_url) between 1 and 2000);
alter table live_codes add column registered_at timestamptz(3);
