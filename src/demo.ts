// First start on an empty database: a demo workspace and its owner, with the login printed once.
import type { Config } from './config.js';
import { countWorkspaces, createWorkspace } from './domains/workspaces/index.js';
import { hashPassword } from './platform/auth/passwords.js';
import { insertUser } from './platform/auth/store.js';
import { randomToken } from './platform/crypto/tokens.js';
import type { Db } from './platform/db/connect.js';
import { inTransaction } from './platform/db/transaction.js';

export const DEMO_EMAIL = 'owner@demo.renmai.local';

export async function ensureDemoWorkspace(db: Db, config: Pick<Config, 'PASSWORD_SCRYPT_LOG_N'>, url: string, print = console.log) {
  if ((await countWorkspaces(db)) > 0) return null;
  const password = randomToken(12);
  await inTransaction(db, async (tx) => {
    const user = await insertUser(tx, { email: DEMO_EMAIL, name: 'Demo Owner', passwordHash: await hashPassword(password, config.PASSWORD_SCRYPT_LOG_N) });
    await createWorkspace(tx, user.id, '演示工作区 Demo');
  });
  print(
    [
      '',
      '  Renmai is ready — a demo workspace was created.',
      `  Console:  ${url}`,
      `  E-mail:   ${DEMO_EMAIL}`,
      `  Password: ${password}`,
      '  (shown only this once; change it under Profile)',
      '',
    ].join('\n'),
  );
  return { email: DEMO_EMAIL, password };
}
