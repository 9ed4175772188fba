import { batchOf, failingCheck, openedEvent, resolvedEvent, warningEvent } from '../testing/alertFixtures';
import { SLACK_LIMITS, slackMessage, type SlackBlock, type SlackMessage } from './slackMessage';

/** Every text the blocks carry, with the limit that applies to it. */
function texts(msg: SlackMessage): { kind: string; text: string }[] {
  return msg.blocks.flatMap((b: SlackBlock) => {
    switch (b.type) {
      case 'header':
        return [{ kind: 'header', text: b.text.text }];
      case 'section':
        return [...(b.text ? [{ kind: 'section', text: b.text.text }] : []), ...(b.fields ?? []).map((f) => ({ kind: 'field', text: f.text }))];
      case 'context':
        return b.elements.map((e) => ({ kind: 'context', text: e.text }));
      case 'divider':
        return [];
    }
  });
}

const allText = (msg: SlackMessage) => texts(msg).map((t) => t.text).join('\n');
const headers = (msg: SlackMessage) => msg.blocks.flatMap((b) => (b.type === 'header' ? [b.text.text] : []));

describe('slackMessage', () => {
  it('renders an opened breaker like the PRD alert: table, issue, impact, since, action, links', () => {
    const msg = slackMessage(batchOf([openedEvent()]));
    expect(headers(msg)).toEqual(['🚨 Quality Check Failed']);
    const text = allText(msg);
    expect(text).toContain('*Table:*\ncleaned_transactions');
    expect(text).toContain('*Since:*\n2026-03-01 10:00:00 UTC');
    expect(text).toContain('*Issue:*\n• *No negative amounts after cleaning* `min(amount) &gt;= 0`: value -12.5');
    expect(text).toContain("• *schema*: Schema mismatch - unexpected column 'currency'");
    expect(text).toContain('*Impact:*\n3 downstream datasets blocked: daily_balances, fraud_features, regulatory_report');
    expect(text).toContain('*Action Required:*\nFix the data or the check, then rescan');
    expect(text).toContain('*Incident:*\ninc_42');
    expect(text).toContain('<https://grafana.example.com/d/datatrust?var-dataset=cleaned_transactions|Dashboard>');
    expect(text).toContain('<https://datatrust.example.com/api/v1/breakers/cleaned_transactions|Gate status>');
    expect(msg.blocks.some((b) => b.type === 'divider')).toBe(false);
  });

  it('has a plain fallback text naming the dataset and the first failing check, for notifications', () => {
    const msg = slackMessage(batchOf([openedEvent()]));
    expect(msg.text).toBe('🚨 Quality Check Failed: cleaned_transactions (No negative amounts after cleaning: value -12.5)');
  });

  it('lists failing checks most severe first, at most five, then says how many more', () => {
    const checks = [
      failingCheck({ name: 'warn-1', outcome: 'warn' }),
      ...[1, 2, 3, 4, 5, 6].map((i) => failingCheck({ name: `fail-${i}`, definition: `fail-${i}` })),
      failingCheck({ name: 'err-1', definition: 'err-1', outcome: 'error', value: null, error: 'column amount does not exist' }),
    ];
    const text = allText(slackMessage(batchOf([openedEvent({ failingChecks: checks })])));
    const listed = [...text.matchAll(/• \*([^*]+)\*/g)].map((m) => m[1]);
    expect(listed).toEqual(['fail-1', 'fail-2', 'fail-3', 'fail-4', 'fail-5']);
    expect(text).toContain('_and 3 more_');
    expect(text).not.toContain('warn-1');
  });

  it('marks error and warn outcomes and prefers the error text over the value', () => {
    const checks = [failingCheck({ name: 'avg(x) > 0', definition: 'avg(x) > 0', outcome: 'error', value: null, error: 'column x does not exist' })];
    const text = allText(slackMessage(batchOf([openedEvent({ failingChecks: checks })])));
    expect(text).toContain('• *avg(x) &gt; 0* [error]: column x does not exist');
  });

  it.each([
    ['check_failed', 'Quality Check Failed', 'Fix the data or the check, then rescan'],
    ['scan_error', 'Quality Scan Error', 'Check the source connection and credentials, then rescan'],
    ['upstream:raw_transactions', 'Blocked by Upstream raw_transactions', 'Fix raw_transactions first'],
  ])('says what to do for cause %s', (cause, title, action) => {
    const msg = slackMessage(batchOf([openedEvent({ cause, failingChecks: [] })]));
    expect(headers(msg)).toEqual([`🚨 ${title}`]);
    expect(allText(msg)).toContain(`*Action Required:*\n${action}`);
  });

  it('explains an upstream block when there are no own checks to list', () => {
    const text = allText(slackMessage(batchOf([openedEvent({ cause: 'upstream:raw_transactions', failingChecks: [] })])));
    expect(text).toContain('*Issue:*\nUpstream dataset raw_transactions has an open breaker.');
  });

  it('says how long a resolved incident lasted, from openedAt to at', () => {
    const msg = slackMessage(batchOf([resolvedEvent()]));
    expect(headers(msg)).toEqual(['✅ Resolved after 42m13s']);
    const text = allText(msg);
    expect(text).toContain('*Open for:*\n42m13s');
    expect(text).toContain('*Resolved at:*\n2026-03-01 10:42:13 UTC');
    expect(text).toContain('*Impact:*\n1 downstream dataset unblocked: daily_balances');
    expect(text).toContain('*Action Required:*\nNone: pipelines may proceed');
  });

  it('resolves without a duration when openedAt is missing', () => {
    const { openedAt: _drop, ...event } = resolvedEvent();
    expect(headers(slackMessage(batchOf([event])))).toEqual(['✅ Resolved']);
  });

  it('renders a warning with a warning header and no blocked impact', () => {
    const msg = slackMessage(batchOf([warningEvent()]));
    expect(headers(msg)).toEqual(['⚠️ Quality Warning']);
    expect(allText(msg)).toContain('*Impact:*\nnone (warnings do not block)');
    expect(allText(msg)).toContain('[warn]: value 4000');
  });

  it('names the blocked pipelines first, nearest first, then the datasets, capped with "and N more" (PRD 4.3)', () => {
    const event = openedEvent({ blockedJobs: ['demo/demo.clean', 'demo/demo.aggregate', 'demo/demo.report'], blocked: ['cleaned_transactions', 'aggregated_sales', 'sales_report', ...'abcdefghi'] });
    expect(allText(slackMessage(batchOf([event])))).toContain(
      '*Impact:*\n3 downstream pipelines blocked: demo/demo.clean, demo/demo.aggregate, demo/demo.report; 12 downstream datasets: cleaned_transactions, aggregated_sales, sales_report, a, b, c, d, e, f, g and 2 more',
    );
  });

  it('says "none" as impact when nothing downstream is blocked', () => {
    expect(allText(slackMessage(batchOf([openedEvent({ blocked: [] })])))).toContain('*Impact:*\nnone');
  });

  it("escapes Slack's control characters in user content so it cannot inject links or mentions", () => {
    const event = openedEvent({
      dataset: 'a<b>&c',
      failingChecks: [failingCheck({ name: '<!channel> x', message: 'see <https://evil.example|here> & there' })],
    });
    const msg = slackMessage(batchOf([event]));
    const text = allText(msg);
    expect(text).toContain('*Table:*\na&lt;b&gt;&amp;c');
    expect(text).toContain('*&lt;!channel&gt; x*');
    expect(text).toContain('see &lt;https://evil.example|here&gt; &amp; there');
    expect(text).not.toContain('<!channel>');
    expect(msg.text).not.toContain('<');
  });

  it('keeps only http(s) links and encodes characters that would break the link syntax', () => {
    const event = openedEvent({ links: { dashboard: 'javascript:alert(1)', gate: 'https://x.example/a|b>c' } });
    const text = allText(slackMessage(batchOf([event])));
    expect(text).not.toContain('javascript:');
    expect(text).toContain('<https://x.example/a%7Cb%3Ec|Gate status>');
  });

  it("truncates long texts with … to Slack's per-field limits", () => {
    const huge = 'x'.repeat(10_000);
    const event = openedEvent({
      dataset: 'd'.repeat(3000),
      blocked: Array.from({ length: 500 }, (_, i) => `downstream_${i}_${'y'.repeat(20)}`),
      failingChecks: [failingCheck({ message: huge })],
      cause: 'upstream:' + 'u'.repeat(500),
    });
    const msg = slackMessage(batchOf([event]));
    for (const t of texts(msg)) {
      const max = t.kind === 'header' ? SLACK_LIMITS.headerText : t.kind === 'field' ? SLACK_LIMITS.fieldText : SLACK_LIMITS.sectionText;
      expect(t.text.length).toBeLessThanOrEqual(max);
    }
    expect(msg.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    expect(headers(msg)[0]).toMatch(/…$/);
    expect(allText(msg)).toMatch(/x…/);
    expect(allText(msg)).toContain('and 490 more');
  });

  it('does not cut an escaped entity in half when truncating', () => {
    const event = openedEvent({ failingChecks: [failingCheck({ message: '&'.repeat(3000) })] });
    const issue = texts(slackMessage(batchOf([event]))).find((t) => t.text.startsWith('*Issue:*'))!;
    expect(issue.text).toMatch(/&amp;…$/);
  });

  it('groups several events into one message with a headline and a divider between events', () => {
    const msg = slackMessage(batchOf([openedEvent(), openedEvent({ id: 'e2', dataset: 'ledger' }), resolvedEvent({ dataset: 'payments' })]));
    expect(headers(msg)).toEqual(['3 data quality events', '🚨 Quality Check Failed', '🚨 Quality Check Failed', '✅ Resolved after 42m13s']);
    expect(msg.blocks[1]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '2 open, 1 resolved' }] });
    expect(msg.blocks.filter((b) => b.type === 'divider')).toHaveLength(3);
    expect(msg.text).toBe('3 data quality events (2 open, 1 resolved): 🚨 cleaned_transactions, 🚨 ledger, ✅ payments');
  });

  it('stays within 50 blocks for a large group and counts the events it could not show', () => {
    const events = Array.from({ length: 20 }, (_, i) => openedEvent({ id: `e${i}`, dataset: `ds_${i}` }));
    const msg = slackMessage(batchOf(events));
    expect(msg.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    const shown = headers(msg).length - 1;
    const last = msg.blocks.at(-1)!;
    expect(last.type).toBe('context');
    expect(allText(msg)).toContain(`_and ${20 - shown} more events not shown:_ ds_${shown}, `);
    for (const b of msg.blocks) if (b.type === 'section') expect((b.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
  });
});
