/**
 * Every `valid format` against the values Soda Core v3.5 says it accepts and rejects
 * (testing/sodaFormatSamples.ts). Each list is replayed in JavaScript and in the SQL both
 * engines run, so the three regex dialects cannot drift apart.
 */
import { duckdbDialect } from '../sources/duckdbDialect';
import { postgresDialect } from '../sources/postgresDialect';
import { ENGINES, loadDb, type LoadedDb } from '../testing/semanticFixture';
import { FORMAT_SAMPLES as SAMPLES } from '../testing/sodaFormatSamples';
import { formatRegex, VALID_FORMAT_NAMES } from './validFormats';

describe('valid format table', () => {
  it('has passing and failing values for every format', () => {
    expect(Object.keys(SAMPLES).sort()).toEqual([...VALID_FORMAT_NAMES].sort());
  });

  it.each(VALID_FORMAT_NAMES)('%s accepts what Soda accepts and rejects what it rejects (JavaScript)', (name) => {
    const re = new RegExp(formatRegex(name)!);
    const wrong = [...SAMPLES[name]!.pass.filter((v) => !re.test(v)).map((v) => `rejects ${JSON.stringify(v)}`), ...SAMPLES[name]!.fail.filter((v) => re.test(v)).map((v) => `accepts ${JSON.stringify(v)}`)];
    expect(wrong).toEqual([]);
  });
});

describe.each(ENGINES)('valid format table on %s', (engine) => {
  let db: LoadedDb;
  const dialect = engine === 'duckdb' ? duckdbDialect : postgresDialect;
  beforeAll(async () => {
    db = await loadDb(engine, []);
  });
  afterAll(() => db?.cleanup());

  it('every format gives the same verdict in SQL as in JavaScript', async () => {
    const probes = VALID_FORMAT_NAMES.flatMap((name) => [...SAMPLES[name]!.pass.map((v) => ({ name, v, want: true })), ...SAMPLES[name]!.fail.map((v) => ({ name, v, want: false }))]);
    const select = probes.map((p) => dialect.regexMatch(dialect.string(p.v), formatRegex(p.name)!)).join(', ');
    const [row] = await db.exec(`SELECT ${select}`);
    const wrong = probes.filter((p, i) => Boolean(row![i]) !== p.want).map((p) => `${p.name}: ${p.want ? 'rejects' : 'accepts'} ${JSON.stringify(p.v)}`);
    expect(wrong).toEqual([]);
  });
});
