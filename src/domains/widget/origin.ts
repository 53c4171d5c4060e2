// Which sites may use a channel's widget: the browser's Origin must be one of the channel's
// allowed origins (`*.host` allows subdomains). Checked on every request and socket handshake;
// a request without Origin (not a browser on a site) is refused too.
export function originAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (!origin) return false;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false;
  }
  const given = url.origin.toLowerCase();
  return allowed.some((a) => {
    if (a === given) return true;
    const star = a.match(/^(https?:\/\/)\*\.(.+)$/);
    if (!star) return false;
    const [, scheme, rest] = star;
    return given.startsWith(scheme!) && given.slice(scheme!.length).endsWith(`.${rest}`);
  });
}
