/** zod schemas for everything that crosses a process or network boundary. */
import { z } from 'zod';
import type { Channel } from './contract.js';
import { TIMEFRAMES } from './timeframe.js';

const epochMs = z.number().int().min(0).max(8.64e15);
const seriesId = z.number().int().positive();
const historyRange = z.enum(['1h', '24h', '7d', '90d'], { message: 'a range: 1h, 24h, 7d or 90d' });
const timeframe = z.enum(TIMEFRAMES);
const source = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z][a-z0-9]*(:[a-z0-9]+)?$/, 'a source id like binance or ccxt:kraken');
const symbol = z.string().trim().min(1).max(64);
const jobId = z.object({ jobId: z.string().min(1).max(100) }).strict();
const seriesRef = z.object({ seriesId }).strict();
const keyName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'a key name like coingecko.apiKey');
const ordered = { message: '`from` must be before `to`' };
const seriesKeyRange = z
  .object({ source, symbol, timeframe, from: epochMs, to: epochMs })
  .strict()
  .refine((a) => a.from < a.to, ordered);
const bucketsArgs = z
  .object({ seriesId, from: epochMs, to: epochMs, maxBuckets: z.number().int().min(1).max(10_000) })
  .strict()
  .refine((a) => a.from < a.to, ordered);
const hosts = z.array(z.string().url().max(200)).min(1).max(10);
const cron = z.string().min(9).max(100);

export const alertRuleSchema = z
  .object({
    kind: z.enum(['source_down', 'series_stale', 'hole_unrepairable', 'ban', 'disk_full', 'slo_missed']),
    enabled: z.boolean(),
    threshold: z.number().positive().max(1e9),
  })
  .strict();

export const settingsPatchSchema = z
  .object({
    sources: z
      .object({
        binanceHosts: hosts,
        coingeckoCallsPerMinute: z.number().int().min(1).max(10_000).nullable(),
        yahooCallsPerMinute: z.number().int().min(1).max(10_000).nullable(),
        requestTimeoutMs: z.number().int().min(1_000).max(300_000),
        streams: z.boolean(),
      })
      .partial()
      .strict(),
    seriesDefaults: z
      .object({ source, timeframe, keepDays: z.number().int().min(1).max(36_500) })
      .partial()
      .strict(),
    alerts: z
      .object({
        rules: z.array(alertRuleSchema).max(20),
        webhookUrl: z
          .string()
          .url()
          .max(500)
          .refine((u) => /^https?:\/\//.test(u), 'the webhook must be an http(s) URL')
          .nullable(),
      })
      .partial()
      .strict(),
    sweepCron: cron,
    audit: z
      .object({ retentionDays: z.number().int().min(1).max(36_500) })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

/** Argument schema per channel; a channel without arguments takes `undefined`. */
export const channelArgs = {
  'app:info': z.undefined(),
  'engine:status': z.undefined(),
  'engine:pause': z.undefined(),
  'engine:resume': z.undefined(),
  'sources:list': z.undefined(),
  'sources:health': z.undefined(),
  'fleet:status': z.undefined(),
  'symbols:search': z
    .object({ source, search: z.string().max(64).optional(), limit: z.number().int().min(1).max(5_000).optional() })
    .strict(),
  'series:list': z.undefined(),
  'series:add': z.object({ source, symbol, timeframe, from: epochMs }).strict(),
  'series:pause': seriesRef,
  'series:resume': seriesRef,
  'series:remove': seriesRef,
  'candles:buckets': bucketsArgs,
  'candles:export': z
    .object({ seriesId, from: epochMs, to: epochMs, format: z.enum(['csv', 'json', 'parquet']) })
    .strict()
    .refine((a) => a.from < a.to, ordered),
  'gaps:map': bucketsArgs,
  'holes:list': z
    .object({ seriesId: seriesId.optional(), state: z.enum(['open', 'confirmed_empty', 'market_closed']).optional() })
    .strict(),
  'jobs:list': z.undefined(),
  'backfill:plan': seriesKeyRange,
  'backfill:start': seriesKeyRange,
  'jobs:cancel': jobId,
  'jobs:pause': jobId,
  'jobs:resume': jobId,
  'jobs:retry': jobId,
  'events:list': z
    .object({
      kinds: z
        .array(
          z.enum(['alert', 'alert_cleared', 'ban', 'rate_limited', 'repair', 'revision', 'series', 'engine', 'job']),
        )
        .max(10)
        .optional(),
      severity: z.enum(['info', 'warning', 'error']).optional(),
      seriesId: seriesId.optional(),
      source: source.optional(),
      before: epochMs.optional(),
      limit: z.number().int().min(1).max(1_000).optional(),
    })
    .strict(),
  'alerts:active': z.undefined(),
  'settings:get': z.undefined(),
  'settings:update': z.object({ patch: settingsPatchSchema }).strict(),
  'keys:status': z.undefined(),
  'keys:set': z.object({ name: keyName, value: z.string().min(1).max(8_192) }).strict(),
  'keys:clear': z.object({ name: keyName }).strict(),
  'data:info': z.undefined(),
  'quality:report': z.object({ seriesIds: z.array(seriesId).max(1_000).optional() }).strict(),
  'session:info': z.undefined(),
  'history:overview': z.undefined(),
  'history:source': z.object({ source, range: historyRange }).strict(),
  'history:series': z.object({ seriesId, range: historyRange }).strict(),
  'audit:list': z
    .object({
      actor: z.string().min(1).max(200).optional(),
      channel: z.string().min(1).max(200).optional(),
      outcome: z.enum(['ok', 'refused', 'error']).optional(),
      since: epochMs.optional(),
      before: epochMs.optional(),
      limit: z.number().int().min(1).max(1_000).optional(),
    })
    .strict(),
} satisfies Record<Channel, z.ZodType>;
