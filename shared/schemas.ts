/** zod schemas for everything that crosses a process or network boundary. */
import { z } from 'zod';
import type { Channel } from './contract.js';

const epochMs = z.number().int().min(0).max(8.64e15);

/** Argument schema per channel; a channel without arguments takes `undefined`. */
export const channelArgs = {
  'app:info': z.undefined(),
  'series:list': z.undefined(),
  'candles:buckets': z
    .object({
      seriesId: z.number().int().positive(),
      from: epochMs,
      to: epochMs,
      maxBuckets: z.number().int().min(1).max(10_000),
    })
    .refine((a) => a.from < a.to, { message: '`from` must be before `to`' }),
} satisfies Record<Channel, z.ZodType>;
