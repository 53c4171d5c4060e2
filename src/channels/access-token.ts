// Provider access tokens (WeCom gettoken, WeChat official accounts' token, …), cached per
// credential so a send does not fetch one each time: providers rate-limit the token endpoint and
// some (WeChat) invalidate the previous token when a new one is issued.
// - Refreshed early, at REFRESH_AT of its lifetime, so a send rarely meets an expired token.
// - Single flight: concurrent callers that find no valid token share one fetch.
// - Refreshed on the provider's "expired / invalid token" answer (the caller says which errors
//   those are): the token is dropped (only if it is still the one that failed, so a fresh token
//   fetched meanwhile by another caller is kept) and the call is retried once with a new one.
// - A TokenStore (optional) lets several processes share tokens, e.g. a database table; without
//   one each process keeps its own, which is correct, only with more fetches.
// Keys are built by the adapter from the credential (never the raw secret: see credentialKey).
import { createHash } from 'node:crypto';

export interface IssuedToken {
  token: string;
  /** The provider's expires_in, in seconds. */
  expiresInSeconds: number;
}

export interface CachedToken {
  token: string;
  /** Epoch ms after which it is not used any more (already shortened to REFRESH_AT). */
  refreshAt: number;
}

/** Shared storage for tokens across processes. Errors from it are ignored: the provider is the truth. */
export interface TokenStore {
  get(key: string): Promise<CachedToken | undefined>;
  set(key: string, token: CachedToken): Promise<void>;
  /** Drop `key` if it still holds `token`. */
  drop(key: string, token: string): Promise<void>;
}

/** Fraction of the lifetime after which a token is refreshed (WeCom advises refreshing before expiry). */
export const REFRESH_AT = 0.9;

/** A cache key for a credential: provider, public id and a hash of the secret (a changed secret is another token). */
export const credentialKey = (provider: string, id: string, secret: string) => `${provider}:${id}:${createHash('sha256').update(secret).digest('hex').slice(0, 24)}`;

export class AccessTokenCache {
  readonly #memory = new Map<string, CachedToken>();
  readonly #inFlight = new Map<string, Promise<string>>();
  readonly #now: () => number;
  #store: TokenStore | undefined;

  constructor(options: { store?: TokenStore; now?: () => number } = {}) {
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
  }

  /** Shares tokens through `store` from now on (set once at boot, when a database is at hand). */
  useStore(store: TokenStore | undefined) {
    this.#store = store;
  }

  /** A valid token for `key`, fetched with `issue` when none is cached. */
  async get(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const cached = this.#memory.get(key);
    if (cached && cached.refreshAt > this.#now()) return cached.token;
    let flight = this.#inFlight.get(key);
    if (!flight) {
      flight = this.#load(key, issue).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, flight);
    }
    return flight;
  }

  /** Forgets `token` for `key` (the provider said it expired), unless a newer one replaced it. */
  async invalidate(key: string, token: string): Promise<void> {
    if (this.#memory.get(key)?.token === token) this.#memory.delete(key);
    await this.#store?.drop(key, token).catch(() => undefined);
  }

  /**
   * Runs `call` with a token; when it fails with an error `isExpired` recognises, drops that
   * token and runs it once more with a fresh one. Other errors pass through.
   */
  async withToken<T>(key: string, issue: () => Promise<IssuedToken>, call: (token: string) => Promise<T>, isExpired: (error: unknown) => boolean): Promise<T> {
    const token = await this.get(key, issue);
    try {
      return await call(token);
    } catch (error) {
      if (!isExpired(error)) throw error;
      await this.invalidate(key, token);
      return call(await this.get(key, issue));
    }
  }

  async #load(key: string, issue: () => Promise<IssuedToken>): Promise<string> {
    const shared = await this.#store?.get(key).catch(() => undefined);
    if (shared && shared.refreshAt > this.#now()) {
      this.#memory.set(key, shared);
      return shared.token;
    }
    const issued = await issue();
    const fresh = { token: issued.token, refreshAt: this.#now() + Math.max(0, issued.expiresInSeconds) * 1000 * REFRESH_AT };
    this.#memory.set(key, fresh);
    await this.#store?.set(key, fresh).catch(() => undefined);
    return fresh.token;
  }
}

/** The process's cache, shared by every adapter (keys name the provider). */
export const accessTokens = new AccessTokenCache();
