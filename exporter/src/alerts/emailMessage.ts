import { batchHeadline, countKinds, countsText, describeEvent, kindOf, upstreamOf, type CheckIssue, type EventDescription } from './describeEvent';
import { oneLine, truncate } from './truncate';
import type { AlertBatch, AlertEvent } from './types';

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

/** Long subjects get folded or clipped by mail clients anyway; keep the useful start. */
const MAX_SUBJECT = 200;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function checksWord(n: number, verb: string): string {
  return `${n} check${n === 1 ? '' : 's'} ${verb}`;
}

function eventSubject(e: AlertEvent, d: EventDescription): string {
  switch (d.kind) {
    case 'resolved':
      return `RESOLVED: ${e.dataset}${d.lasted ? ` after ${d.lasted}` : ''}`;
    case 'warning':
      return `WARNING: ${e.dataset} — ${checksWord(e.failingChecks.length, 'warning')}`;
    case 'open': {
      const upstream = upstreamOf(e.cause);
      if (upstream) return `OPEN: ${e.dataset} — blocked by upstream ${upstream}`;
      if (e.cause === 'scan_error') return `OPEN: ${e.dataset} — scan error`;
      return `OPEN: ${e.dataset} — ${e.failingChecks.length ? checksWord(e.failingChecks.length, 'failing') : 'checks failing'}`;
    }
  }
}

/** `[DataTrust] OPEN: cleaned_transactions — 3 checks failing`, or `[DataTrust] 3 events: 2 open, 1 resolved`. */
export function emailSubject(batch: AlertBatch): string {
  const [only] = batch.events;
  const body = batch.events.length === 1 && only ? eventSubject(only, describeEvent(only)) : `${batch.events.length} events: ${countsText(countKinds(batch))}`;
  return truncate(oneLine(`[DataTrust] ${body}`), MAX_SUBJECT);
}

function issueText(issue: CheckIssue): string {
  const outcome = issue.outcome === 'fail' ? '' : ` [${issue.outcome}]`;
  const definition = issue.definition ? ` (${oneLine(issue.definition)})` : '';
  return `${oneLine(issue.name)}${definition}${outcome}${issue.detail ? `: ${oneLine(issue.detail)}` : ''}`;
}

function eventText(d: EventDescription): string {
  const lines = [`${d.emoji} ${d.title}`, `Table: ${d.dataset}`];
  if (d.issues.length === 0) lines.push(`Issue: ${d.summary}`);
  else if (d.issues.length === 1 && d.moreIssues === 0) lines.push(`Issue: ${issueText(d.issues[0]!)}`);
  else {
    lines.push('Issue:');
    for (const i of d.issues) lines.push(`  - ${issueText(i)}`);
    if (d.moreIssues) lines.push(`  - and ${d.moreIssues} more`);
  }
  lines.push(`Impact: ${d.impact}`, `${d.when.label}: ${d.when.at}`);
  if (d.lasted) lines.push(`Open for: ${d.lasted}`);
  if (d.incidentId) lines.push(`Incident: ${d.incidentId}`);
  lines.push(`Action Required: ${d.action}`);
  for (const l of d.links) lines.push(`${l.label}: ${l.url}`);
  return lines.join('\n');
}

const COLOR: Record<EventDescription['kind'], string> = { open: '#c62828', resolved: '#2e7d32', warning: '#ef6c00' };

function row(label: string, valueHtml: string): string {
  return `<tr><th align="left" valign="top" style="padding:4px 12px 4px 0;white-space:nowrap">${escapeHtml(label)}</th><td style="padding:4px 0">${valueHtml}</td></tr>`;
}

function issueHtml(issue: CheckIssue): string {
  const outcome = issue.outcome === 'fail' ? '' : ` <em>[${escapeHtml(issue.outcome)}]</em>`;
  const definition = issue.definition ? ` <code>${escapeHtml(issue.definition)}</code>` : '';
  return `<strong>${escapeHtml(issue.name)}</strong>${definition}${outcome}${issue.detail ? `: ${escapeHtml(issue.detail)}` : ''}`;
}

function eventHtml(d: EventDescription): string {
  let issues: string;
  if (d.issues.length === 0) issues = escapeHtml(d.summary);
  else {
    const items = d.issues.map((i) => `<li>${issueHtml(i)}</li>`);
    if (d.moreIssues) items.push(`<li>and ${d.moreIssues} more</li>`);
    issues = `<ul style="margin:0;padding-left:18px">${items.join('')}</ul>`;
  }
  const rows = [row('Table', `<code>${escapeHtml(d.dataset)}</code>`), row('Issue', issues), row('Impact', escapeHtml(d.impact)), row(d.when.label, escapeHtml(d.when.at))];
  if (d.lasted) rows.push(row('Open for', escapeHtml(d.lasted)));
  if (d.incidentId) rows.push(row('Incident', escapeHtml(d.incidentId)));
  rows.push(row('Action Required', `<strong>${escapeHtml(d.action)}</strong>`));
  const links = d.links.map((l) => `<a href="${escapeHtml(l.url)}">${escapeHtml(l.label)}</a>`).join(' · ');
  return [
    `<h2 style="color:${COLOR[d.kind]};margin:16px 0 8px">${escapeHtml(`${d.emoji} ${d.title}`)}</h2>`,
    `<table style="border-collapse:collapse">${rows.join('')}</table>`,
    links ? `<p>${links}</p>` : '',
  ].join('\n');
}

/**
 * An alert batch as an e-mail. Every piece of event content is HTML-escaped (dataset names and
 * check messages come from user config and from data), and links are limited to http(s).
 */
export function emailMessage(batch: AlertBatch): EmailMessage {
  const described = batch.events.map(describeEvent);
  const grouped = described.length > 1;
  const headline = `${batchHeadline(batch)} (${countsText(countKinds(batch))})`;
  const textParts = described.map(eventText);
  const text = (grouped ? `${headline}\n\n` : '') + textParts.join('\n\n----------------------------------------\n\n') + '\n\n-- \nDataTrust-Light\n';
  const htmlEvents = described.map(eventHtml).join('\n<hr style="border:0;border-top:1px solid #ddd;margin:16px 0">\n');
  const html = [
    '<!DOCTYPE html>',
    '<html><head><meta charset="utf-8"></head>',
    '<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;color:#222">',
    grouped ? `<h1 style="font-size:18px">${escapeHtml(headline)}</h1>` : '',
    htmlEvents,
    '<p style="color:#888;font-size:12px">DataTrust-Light</p>',
    '</body></html>',
  ].join('\n');
  return { subject: emailSubject(batch), text, html };
}

/** Exposed for the notifier: incidents that opened deserve a high-priority flag. */
export function isUrgent(batch: AlertBatch): boolean {
  return batch.events.some((e) => kindOf(e) === 'open');
}
