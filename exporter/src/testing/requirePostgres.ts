/** The test cluster's URL; throws (failing the test) when PostgreSQL could not be started. */
export function requirePostgres(): string {
  const url = process.env.DATATRUST_TEST_PG_URL;
  if (!url) throw new Error(`this test needs PostgreSQL: ${process.env.DATATRUST_TEST_PG_ERROR ?? 'globalSetup did not start it'}`);
  return url;
}
