export default async function globalTeardown(): Promise<void> {
  globalThis.__datatrustPostgres?.stop();
  globalThis.__datatrustPostgres = undefined;
}
