import { todaysSettlements } from './settlementHistory';

/**
 * SQL that builds the demo banking warehouse. Pseudo-random values come from integer
 * arithmetic on row numbers, so the data is identical on every machine; only timestamps move,
 * anchored at generation time, so freshness checks behave as in production.
 *
 * Planted defects (each caught by a demo check in checks/):
 * - raw_transactions: a burst of 400 NULL user_ids (txn_id 200001–200400);
 * - cleaned_transactions: 3 negative amounts, 5 orphan user_ids, and a `currency` column its
 *   schema list does not name (allowed; only a column appearing between two scans fails);
 * - aggregated_sales: stale, last rebuilt 3 days ago;
 * - users: ~0.8% malformed phone numbers (a warning, not a failure);
 * - card_settlements: today's file holds 60% of its weekday's usual records, an anomaly only
 *   against the weekly history `datatrust demo --serve` writes (settlementHistory.ts).
 * sales_report, the last step, has no checks at all: the gap lineage coverage reports.
 */
export interface DemoShape {
  /** Rows of raw_transactions; the other tables scale from it. */
  rows: number;
  /** ISO timestamp every generated time is relative to. */
  anchor: string;
}

export const DEMO_USERS = 20_000;
export const DEMO_ACCOUNTS = 30_000;
export const NULL_BURST = { first: 200_001, last: 200_400 };

export function demoSql({ rows, anchor }: DemoShape): string[] {
  const t = `TIMESTAMP '${anchor.replace('T', ' ').replace(/Z$/, '').slice(0, 19)}'`;
  // Spread raw transactions over 30 days, the newest 10 minutes before the anchor.
  const step = (30 * 86400) / rows;
  return [
    `CREATE TABLE users AS
     SELECT i::INTEGER AS user_id,
            'Customer ' || i AS full_name,
            'user' || i || '@example.com' AS email,
            CASE WHEN i % 125 = 3 THEN '0' || (i % 97) ELSE '+82-10-' || lpad(((i * 7919) % 10000)::VARCHAR, 4, '0') || '-' || lpad(((i * 104729) % 10000)::VARCHAR, 4, '0') END AS phone,
            (['KR', 'KR', 'KR', 'US', 'JP'])[1 + i % 5] AS country,
            (['retail', 'premier', 'business'])[1 + (i * 31) % 3] AS segment,
            ${t} - INTERVAL (400 + (i * 13) % 1000) DAY AS created_at
     FROM range(1, ${DEMO_USERS + 1}) r(i)`,
    `CREATE TABLE accounts AS
     SELECT (100000 + i)::INTEGER AS account_id,
            (1 + (i * 7919) % ${DEMO_USERS})::INTEGER AS user_id,
            (['checking', 'savings', 'card'])[1 + i % 3] AS account_type,
            ${t} - INTERVAL (30 + (i * 17) % 900) DAY AS opened_at,
            (((i * 7907) % 10000000) / 100.0)::DECIMAL(18, 2) AS balance,
            CASE WHEN i % 40 = 0 THEN 'closed' ELSE 'active' END AS status
     FROM range(1, ${DEMO_ACCOUNTS + 1}) r(i)`,
    `CREATE TABLE raw_transactions AS
     SELECT i::BIGINT AS txn_id,
            (100001 + (i * 104729) % ${DEMO_ACCOUNTS})::INTEGER AS account_id,
            CASE WHEN i BETWEEN ${NULL_BURST.first} AND ${NULL_BURST.last} THEN NULL
                 WHEN i % 50000 = 7 THEN (990000 + i / 50000)::INTEGER
                 ELSE (1 + (i * 7919) % ${DEMO_USERS})::INTEGER END AS user_id,
            ((1000 + (i * 7919) % 500000) + ((i * 31) % 100) / 100.0)::DECIMAL(18, 2) AS amount,
            (['grocery', 'dining', 'travel', 'utilities', 'online', 'fuel'])[1 + (i * 13) % 6] AS merchant_category,
            (['card', 'transfer', 'atm', 'mobile'])[1 + (i * 7) % 4] AS channel,
            ${t} - INTERVAL 10 MINUTE - to_microseconds(((${rows} - i) * ${step} * 1000000)::BIGINT) AS created_at
     FROM range(1, ${rows + 1}) r(i)`,
    // The cleaning job drops NULL users but lets orphans through, flips three refunds into
    // negative amounts, and has started writing a `currency` column nobody agreed on.
    `CREATE TABLE cleaned_transactions AS
     SELECT txn_id, account_id, user_id,
            CASE WHEN txn_id % 100000 = 4242 THEN -amount ELSE amount END::DECIMAL(18, 2) AS amount,
            'KRW' AS currency,
            merchant_category, channel, created_at,
            created_at + INTERVAL 5 MINUTE AS cleaned_at
     FROM raw_transactions
     WHERE user_id IS NOT NULL`,
    `CREATE TABLE aggregated_sales AS
     SELECT CAST(created_at AS DATE) AS sale_date,
            merchant_category,
            COUNT(*)::BIGINT AS txn_count,
            SUM(amount)::DECIMAL(18, 2) AS total_amount,
            ${t} - INTERVAL 3 DAY AS updated_at
     FROM cleaned_transactions
     WHERE created_at < ${t} - INTERVAL 3 DAY
     GROUP BY ALL
     ORDER BY 1, 2`,
    // The report the dashboard reads. It has no checks on purpose: lineage coverage counts it as a gap.
    `CREATE TABLE sales_report AS
     SELECT merchant_category,
            SUM(txn_count)::BIGINT AS txn_count,
            SUM(total_amount)::DECIMAL(18, 2) AS total_amount,
            MIN(sale_date) AS first_sale_date,
            MAX(sale_date) AS last_sale_date
     FROM aggregated_sales
     GROUP BY ALL
     ORDER BY 1`,
    // Today's settlement file from the card network, replaced every morning.
    `CREATE TABLE card_settlements AS
     SELECT i::BIGINT AS settlement_id,
            (['grocery', 'dining', 'travel', 'utilities', 'online', 'fuel'])[1 + (i * 13) % 6] AS merchant_category,
            ((1000 + (i * 7919) % 500000) / 1.0)::DECIMAL(18, 2) AS amount,
            CAST(${t} AS DATE) AS settlement_date
     FROM range(1, ${todaysSettlements(new Date(anchor)) + 1}) r(i)`,
    `CREATE TABLE demo_metadata AS SELECT ${t} AS generated_at, ${rows}::BIGINT AS raw_rows`,
  ];
}
