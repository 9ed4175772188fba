import { batchOf, failingCheck, openedEvent, resolvedEvent, warningEvent } from '../testing/alertFixtures';
import { emailMessage, emailSubject } from './emailMessage';

describe('emailSubject', () => {
  it.each([
    ['an open breaker with its failing-check count', openedEvent(), '[DataTrust] OPEN: cleaned_transactions — 3 checks failing'],
    ['one failing check in the singular', openedEvent({ failingChecks: [failingCheck()] }), '[DataTrust] OPEN: cleaned_transactions — 1 check failing'],
    ['a scan error', openedEvent({ cause: 'scan_error', failingChecks: [] }), '[DataTrust] OPEN: cleaned_transactions — scan error'],
    ['an upstream block', openedEvent({ cause: 'upstream:raw_tx', failingChecks: [] }), '[DataTrust] OPEN: cleaned_transactions — blocked by upstream raw_tx'],
    ['a resolution with its duration', resolvedEvent(), '[DataTrust] RESOLVED: cleaned_transactions after 42m13s'],
    ['a warning', warningEvent(), '[DataTrust] WARNING: raw_transactions — 1 check warning'],
  ])('names %s', (_label, event, subject) => {
    expect(emailSubject(batchOf([event]))).toBe(subject);
  });

  it('counts kinds for a group', () => {
    const batch = batchOf([openedEvent(), openedEvent({ id: 'e2', dataset: 'ledger' }), resolvedEvent(), warningEvent(), warningEvent({ id: 'w2' })]);
    expect(emailSubject(batch)).toBe('[DataTrust] 5 events: 2 open, 1 resolved, 2 warnings');
  });

  it('keeps the subject on one line (no header injection through a dataset name)', () => {
    const subject = emailSubject(batchOf([openedEvent({ dataset: 'evil\r\nBcc: victim@example.com' })]));
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toContain('evil Bcc: victim@example.com');
  });

  it('truncates a very long subject with …', () => {
    const subject = emailSubject(batchOf([openedEvent({ dataset: 'x'.repeat(500) })]));
    expect(subject.length).toBeLessThanOrEqual(200);
    expect(subject).toMatch(/…$/);
  });
});

describe('emailMessage', () => {
  it('has a plain-text body laid out like the PRD alert', () => {
    const { text } = emailMessage(batchOf([openedEvent()]));
    expect(text).toContain(
      [
        '🚨 Quality Check Failed',
        'Table: cleaned_transactions',
        'Issue:',
        '  - No negative amounts after cleaning (min(amount) >= 0): value -12.5',
        "  - schema: Schema mismatch - unexpected column 'currency'",
        '  - row_count > 0: value 0',
        'Impact: 3 downstream datasets blocked: daily_balances, fraud_features, regulatory_report',
        'Since: 2026-03-01 10:00:00 UTC',
        'Incident: inc_42',
        'Action Required: Fix the data or the check, then rescan',
        'Dashboard: https://grafana.example.com/d/datatrust?var-dataset=cleaned_transactions',
      ].join('\n'),
    );
  });

  it('puts a single issue on the Issue line itself', () => {
    const { text } = emailMessage(batchOf([openedEvent({ failingChecks: [failingCheck({ name: 'schema', definition: 'schema', value: null, message: "Schema mismatch - unexpected column 'currency'" })] })]));
    expect(text).toContain("Issue: schema: Schema mismatch - unexpected column 'currency'");
  });

  it('escapes user content in the HTML body', () => {
    const event = openedEvent({
      dataset: '<script>alert(1)</script>',
      failingChecks: [failingCheck({ name: 'a "quoted" & <b>bold</b>', message: "it's <img src=x onerror=alert(1)>" })],
      links: { dashboard: 'https://x.example/?a=1&b="2"' },
    });
    const { html } = emailMessage(batchOf([event]));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>bold');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(html).toContain('it&#39;s &lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('<a href="https://x.example/?a=1&amp;b=&quot;2&quot;">Dashboard</a>');
  });

  it('drops links that are not http(s)', () => {
    const { html, text } = emailMessage(batchOf([openedEvent({ links: { dashboard: 'javascript:alert(1)' } })]));
    expect(html).not.toContain('javascript:');
    expect(text).not.toContain('javascript:');
  });

  it('lists at most five checks, most severe first, then "and N more"', () => {
    const checks = [failingCheck({ name: 'w', outcome: 'warn' }), ...[1, 2, 3, 4, 5, 6, 7].map((i) => failingCheck({ name: `f${i}`, definition: `f${i}` }))];
    const { text, html } = emailMessage(batchOf([openedEvent({ failingChecks: checks })]));
    expect(text).toContain('  - f5: value -12.5\n  - and 3 more');
    expect(text).not.toContain('  - f6');
    expect(html).toContain('<li>and 3 more</li>');
  });

  it('shows how long a resolved incident lasted', () => {
    const { text, html } = emailMessage(batchOf([resolvedEvent()]));
    expect(text).toContain('✅ Resolved after 42m13s');
    expect(text).toContain('Open for: 42m13s');
    expect(text).toContain('Issue: All checks pass again; the breaker is closed.');
    expect(html).toContain('Resolved after 42m13s');
  });

  it('groups events with a headline and separators in text and HTML', () => {
    const { text, html } = emailMessage(batchOf([openedEvent(), openedEvent({ id: 'e2', dataset: 'ledger' }), resolvedEvent({ dataset: 'payments' })]));
    expect(text.startsWith('3 data quality events (2 open, 1 resolved)\n\n🚨 Quality Check Failed')).toBe(true);
    expect(text.match(/^-{40}$/gm)).toHaveLength(2);
    expect(html).toContain('<h1 style="font-size:18px">3 data quality events (2 open, 1 resolved)</h1>');
    expect(html.match(/<hr /g)).toHaveLength(2);
    expect(html.match(/<h2 /g)).toHaveLength(3);
  });
});
