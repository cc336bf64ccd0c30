import { z } from 'zod';
import { InvalidParameterException } from '../common/errors/rws.exception';
import { webDavTargetSchema } from './export/export-job.validation';
import type { RetentionAction, RetentionMatch } from './retention-policy';

const text = z.string().trim().min(1).max(256);
const list = z.array(text).min(1).max(100);
const seconds = z.number().int().min(0).max(31 * 86_400);

const matchSchema = z
  .object({
    partitions: list.optional(),
    labels: list.optional(),
    agentIds: list.optional(),
    agentHierarchies: list.optional(),
    callTypes: list.optional(),
    minDurationSeconds: seconds.optional(),
    maxDurationSeconds: seconds.optional(),
    media: z.enum(['voice', 'screen']).optional(),
    attachedData: z
      .record(text, z.string().max(256))
      .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 20, 'from 1 to 20 keys')
      .optional(),
  })
  .strict()
  .refine((m) => m.minDurationSeconds === undefined || m.maxDurationSeconds === undefined || m.minDurationSeconds <= m.maxDurationSeconds, {
    message: 'minDurationSeconds is above maxDurationSeconds',
    path: ['minDurationSeconds'],
  });

const actionSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('delete'), afterDays: z.number().int().min(0).max(36_500) }).strict(),
  z.object({ type: z.literal('exportThenDelete'), afterDays: z.number().int().min(0).max(36_500), target: webDavTargetSchema }).strict(),
  z.object({ type: z.literal('keep') }).strict(),
]);

const policySchema = z
  .object({
    name: text,
    enabled: z.boolean().default(true),
    match: matchSchema.default({}),
    action: actionSchema,
  })
  .strict();

/** The fields of a policy a client sets (create and replace). */
export interface RetentionPolicyInput {
  name: string;
  enabled: boolean;
  match: RetentionMatch;
  action: RetentionAction;
}

/** Parses a policy body; a bad field is a 400 naming it, and nothing is stored. */
export function parseRetentionPolicy(body: unknown): RetentionPolicyInput {
  const parsed = policySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'body';
    throw new InvalidParameterException(field, field.endsWith('password') ? 'must be a string' : issue.message);
  }
  return parsed.data;
}

/** Days ahead a dry run may look. */
export const MAX_DRY_RUN_DAYS = 90;
