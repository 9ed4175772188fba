import { batchHeadline, countKinds, countsText, describeEvent, type CheckIssue, type EventDescription } from './describeEvent';
import { oneLine, truncate } from './truncate';
import type { AlertBatch } from './types';

/** Slack's documented limits; past them Slack rejects the whole message with `invalid_blocks`. */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  contextElements: 10,
  /** Slack allows 40 000 for `text`, but it is the notification preview: keep it short. */
  fallbackText: 3000,
} as const;

export interface SlackPlainText {
  type: 'plain_text';
  text: string;
  emoji?: boolean;
}

export interface SlackMrkdwn {
  type: 'mrkdwn';
  text: string;
}

export type SlackBlock =
  | { type: 'header'; text: SlackPlainText }
  | { type: 'section'; text?: SlackMrkdwn; fields?: SlackMrkdwn[] }
  | { type: 'divider' }
  | { type: 'context'; elements: SlackMrkdwn[] };

/** The body of a POST to a Slack incoming webhook. */
export interface SlackMessage {
  /** Shown in notifications and by clients that cannot render blocks. */
  text: string;
  blocks: SlackBlock[];
}

/** Slack's mrkdwn treats only these three as control characters; everything else is literal. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** `<url|label>` breaks on `|` and `>` in the URL, so those are percent-encoded. */
function link(url: string, label: string): string {
  const safeUrl = url.replace(/\|/g, '%7C').replace(/>/g, '%3E').replace(/</g, '%3C');
  return `<${safeUrl}|${escapeMrkdwn(label)}>`;
}

/** Backticks inside inline code would end it early. */
function code(text: string): string {
  return '`' + escapeMrkdwn(oneLine(text).replace(/`/g, "'")) + '`';
}

function mrkdwn(text: string, max: number = SLACK_LIMITS.sectionText): SlackMrkdwn {
  return { type: 'mrkdwn', text: truncate(text, max) };
}

function field(label: string, value: string): SlackMrkdwn {
  return mrkdwn(`*${label}:*\n${value}`, SLACK_LIMITS.fieldText);
}

/** Long messages (a whole SQL error) are cut per line so one check cannot crowd out the rest. */
const MAX_ISSUE_LINE = 500;

function issueLine(issue: CheckIssue): string {
  const outcome = issue.outcome === 'fail' ? '' : ` [${issue.outcome}]`;
  const definition = issue.definition ? ` ${code(issue.definition)}` : '';
  const detail = issue.detail ? `: ${escapeMrkdwn(oneLine(issue.detail))}` : '';
  return truncate(`• *${escapeMrkdwn(oneLine(issue.name))}*${definition}${outcome}${detail}`, MAX_ISSUE_LINE);
}

function issueText(d: EventDescription): string {
  if (d.issues.length === 0) return `*Issue:*\n${escapeMrkdwn(d.summary)}`;
  const lines = d.issues.map(issueLine);
  if (d.moreIssues > 0) lines.push(`_and ${d.moreIssues} more_`);
  return `*Issue:*\n${lines.join('\n')}`;
}

/** The blocks of one event: header, facts, issue, impact and action, then links. */
function eventBlocks(d: EventDescription): SlackBlock[] {
  const facts = [field('Table', escapeMrkdwn(d.dataset)), field(d.when.label, escapeMrkdwn(d.when.at))];
  if (d.lasted) facts.push(field('Open for', escapeMrkdwn(d.lasted)));
  if (d.incidentId) facts.push(field('Incident', escapeMrkdwn(d.incidentId)));
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(oneLine(`${d.emoji} ${d.title}`), SLACK_LIMITS.headerText), emoji: true } },
    { type: 'section', fields: facts },
    { type: 'section', text: mrkdwn(issueText(d)) },
    { type: 'section', fields: [field('Impact', escapeMrkdwn(d.impact)), field('Action Required', escapeMrkdwn(d.action))] },
  ];
  if (d.links.length) {
    blocks.push({ type: 'context', elements: [mrkdwn(d.links.map((l) => link(l.url, l.label)).join('  ·  '))] });
  }
  return blocks;
}

/** The notification preview: what a phone lock screen shows. Plain text, but Slack still parses `&<>`. */
function fallbackLine(d: EventDescription): string {
  const first = d.issues[0];
  const why = first ? `${first.name}${first.detail ? `: ${first.detail}` : ''}` : d.summary;
  return oneLine(`${d.emoji} ${d.title}: ${d.dataset} (${why})`);
}

function fallbackText(batch: AlertBatch, described: EventDescription[]): string {
  const text =
    described.length === 1
      ? fallbackLine(described[0]!)
      : `${batchHeadline(batch)} (${countsText(countKinds(batch))}): ${described.map((d) => `${d.emoji} ${d.dataset}`).join(', ')}`;
  return truncate(escapeMrkdwn(text), SLACK_LIMITS.fallbackText);
}

/**
 * An alert batch as a Slack incoming-webhook message (Block Kit). One event renders like the
 * PRD's alert; several become one message with a headline and a divider between events. Events
 * that do not fit in Slack's 50 blocks are counted in a closing line instead of being dropped
 * silently.
 */
export function slackMessage(batch: AlertBatch): SlackMessage {
  const described = batch.events.map(describeEvent);
  const blocks: SlackBlock[] = [];
  const grouped = described.length > 1;
  if (grouped) {
    blocks.push({ type: 'header', text: { type: 'plain_text', text: truncate(batchHeadline(batch), SLACK_LIMITS.headerText), emoji: true } });
    blocks.push({ type: 'context', elements: [mrkdwn(escapeMrkdwn(countsText(countKinds(batch))))] });
  }
  // One block stays free for the "N more" line.
  const budget = SLACK_LIMITS.blocks - 1;
  let shown = 0;
  for (const d of described) {
    const next = [...(blocks.length ? [{ type: 'divider' } as const] : []), ...eventBlocks(d)];
    if (blocks.length + next.length > budget) break;
    blocks.push(...next);
    shown++;
  }
  if (shown < described.length) {
    const rest = described.slice(shown);
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`_and ${rest.length} more event${rest.length === 1 ? '' : 's'} not shown:_ ${escapeMrkdwn(rest.map((d) => d.dataset).join(', '))}`)],
    });
  }
  return { text: fallbackText(batch, described), blocks };
}
