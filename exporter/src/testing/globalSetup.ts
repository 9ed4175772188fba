import { startPostgres, type RunningPostgres } from './postgresServer';

declare global {
  // eslint-disable-next-line no-var
  var __datatrustPostgres: RunningPostgres | undefined;
}

/**
 * Starts one PostgreSQL for the whole run. A failure is recorded, not thrown, so tests that do
 * not need PostgreSQL still run while every test that does fails with the reason.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATATRUST_TEST_PG_URL || process.env.DATATRUST_TEST_PG_ERROR) return;
  try {
    const pg = await startPostgres();
    globalThis.__datatrustPostgres = pg;
    process.env.DATATRUST_TEST_PG_URL = pg.url;
  } catch (e) {
    process.env.DATATRUST_TEST_PG_ERROR = (e as Error).message;
  }
}
