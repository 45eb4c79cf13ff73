/** zod schemas for the desktop-only channels' arguments (see desktop-contract.ts). */
import { z } from 'zod';
import type { DesktopChannel } from './desktop-contract.js';

const secretName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/i, 'use letters, digits, ".", "_" or "-" (at most 64)');

export const desktopChannelArgs = {
  'desktop:get-settings': z.undefined(),
  'desktop:update-settings': z.strictObject({
    muteNotifications: z.boolean().optional(),
    startAtLogin: z.boolean().optional(),
  }),
  'secrets:list': z.undefined(),
  'secrets:set': z.strictObject({ name: secretName, value: z.string().min(1).max(8_192) }),
  'secrets:clear': z.strictObject({ name: secretName }),
  'desktop:open-external': z.strictObject({ url: z.string().min(1).max(2_048) }),
} satisfies Record<DesktopChannel, z.ZodType>;
