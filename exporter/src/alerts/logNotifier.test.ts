import { readFileSync } from 'node:fs';
import { parseConfigText } from '../config/loadConfig';
import { batchOf, openedEvent, resolvedEvent, warningEvent } from '../testing/alertFixtures';
import { tempProject } from '../testing/tempDir';
import { createNotifier } from './createNotifier';
import { LogNotifier } from './logNotifier';
import { DeliveryError } from './types';

const AT = new Date('2026-03-01T10:00:07.000Z');

describe('the log channel', () => {
  const dir = tempProject({});
  afterAll(() => dir.cleanup());

  it('appends one JSON line per event to its file, each a flat record carrying the whole event', async () => {
    const path = dir.path('alerts.jsonl');
    const n = new LogNotifier({ type: 'log', name: 'audit', minPriority: 'low', path }, undefined, () => AT);
    await n.send(batchOf([openedEvent(), warningEvent()], { channel: 'audit' }));
    await n.send(batchOf([resolvedEvent()], { channel: 'audit', deliveryId: 'dlv_0002' }));
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(3);
    const records = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records[0]).toMatchObject({
      time: '2026-03-01T10:00:07.000Z',
      level: 'error',
      logger: 'datatrust.alerts',
      msg: 'Quality Check Failed: cleaned_transactions (No negative amounts after cleaning, schema, row_count > 0)',
      channel: 'audit',
      deliveryId: 'dlv_0001',
      id: 'evt_open_1',
      type: 'incident.opened',
      dataset: 'cleaned_transactions',
      incidentId: 'inc_42',
      blocked: ['daily_balances', 'fraud_features', 'regulatory_report'],
    });
    expect(records.map((r) => [r.type, r.level])).toEqual([
      ['incident.opened', 'error'],
      ['dataset.warning', 'warn'],
      ['incident.resolved', 'info'],
    ]);
    expect(records[2]).toMatchObject({ msg: 'Resolved after 42m13s: cleaned_transactions', deliveryId: 'dlv_0002', openedAt: '2026-03-01T10:00:00.000Z' });
  });

  it('writes to stdout without a path', async () => {
    const chunks: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: string, cb?: (e?: Error) => void) => {
      chunks.push(chunk);
      cb?.();
      return true;
    }) as typeof process.stdout.write);
    try {
      await createNotifier({ type: 'log', name: 'stdout', minPriority: 'high' }).send(batchOf([openedEvent()]));
    } finally {
      spy.mockRestore();
    }
    expect(chunks).toHaveLength(1);
    expect(JSON.parse(chunks[0]!)).toMatchObject({ type: 'incident.opened', dataset: 'cleaned_transactions' });
  });

  it('reports a write failure as retryable, naming the channel and the reason', async () => {
    const n = new LogNotifier({ type: 'log', name: 'audit', minPriority: 'high', path: dir.path('no/such/folder/a.jsonl') });
    const err = await n.send(batchOf([openedEvent()])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ retryable: true, message: expect.stringMatching(/^log channel `audit`: cannot write .*a\.jsonl: ENOENT$/) });
  });

  it('is configured with `type: log` and an optional path relative to datatrust.yml; other keys are errors', () => {
    const ok = parseConfigText('/etc/dt/datatrust.yml', 'alerts:\n  channels:\n    out: { type: log }\n    file: { type: log, path: logs/alerts.jsonl, min_priority: low }\n');
    expect(ok.diagnostics).toEqual([]);
    expect(ok.config.alerts.channels).toEqual([
      { name: 'out', type: 'log', minPriority: 'high' },
      { name: 'file', type: 'log', minPriority: 'low', path: '/etc/dt/logs/alerts.jsonl' },
    ]);
    const bad = parseConfigText('datatrust.yml', 'alerts:\n  channels:\n    out: { type: log, url: x }\n');
    expect(bad.diagnostics).toEqual([expect.objectContaining({ line: 3, severity: 'error', message: 'unknown key `url` in channel `out`. Accepted: `type`, `path`, `min_priority`' })]);
  });
});
