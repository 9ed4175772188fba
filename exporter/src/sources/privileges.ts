import { Client } from 'pg';
import type { Config } from '../config/types';

/** Roles that reach beyond reading the checked tables: server files, programs, every table. */
const RISKY_ROLES = ['pg_read_server_files', 'pg_write_server_files', 'pg_execute_server_program', 'pg_read_all_data', 'pg_write_all_data'];

const ROLE_SQL = `
SELECT current_user AS name,
       (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
       ARRAY(SELECT rolname::text FROM pg_roles WHERE rolname = ANY($1) AND pg_has_role(current_user, oid, 'MEMBER') ORDER BY rolname) AS risky`;

/**
 * Warnings for PostgreSQL sources that connect with more privilege than checks need. A check
 * runs in a read-only transaction, but reading server files (`pg_read_file`) or tables nobody
 * meant to check is a matter of privileges: the engine needs SELECT on the checked tables and
 * nothing else (docs/deployment.md, "PostgreSQL role"). A source that cannot be reached gives
 * no warning here: its scans report that.
 */
export async function privilegeWarnings(config: Config, timeoutMs = 5000): Promise<string[]> {
  const warnings: string[] = [];
  for (const source of Object.values(config.sources)) {
    if (source.type !== 'postgres') continue;
    const client = new Client({ connectionString: source.url, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, application_name: 'datatrust' });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const row = (await client.query<{ name: string; superuser: boolean; risky: string[] }>(ROLE_SQL, [RISKY_ROLES])).rows[0];
      if (!row) continue;
      const what = row.superuser ? 'a superuser' : row.risky.length ? `a member of ${row.risky.join(', ')}` : undefined;
      if (what) {
        warnings.push(
          `source \`${source.name}\` connects as \`${row.name}\`, ${what}: check SQL could read ${row.superuser ? "every table and the server's files" : 'beyond the checked tables'}; give it a role with SELECT on the checked tables only (docs/deployment.md, "PostgreSQL role")`,
        );
      }
    } catch {
      // Unreachable or refused: the scans say so.
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  return warnings;
}
