import { z } from 'zod';
import { InvalidParameterException } from '../../common/errors/rws.exception';
import type { ExportMediaMode, ExportSelection, ExportTarget } from './export-job';

const text = z.string().trim().min(1).max(256);

/** A WebDAV folder URL: http(s), credentials in their own fields (never in the URL, where logs could keep them). */
export const webDavTargetSchema = z
  .object({
    type: z.literal('webdav'),
    url: z
      .string()
      .max(2048)
      .refine((value) => {
        try {
          const url = new URL(value);
          return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && !url.search && !url.hash;
        } catch {
          return false;
        }
      }, 'must be an http(s) URL without credentials, query or fragment (give username and password apart)'),
    username: text.optional(),
    password: z.string().max(1024).optional(),
  })
  .strict();

const bodySchema = z
  .object({
    filters: z.record(z.string(), z.string().max(2048)).optional(),
    policyId: z.string().uuid().optional(),
    target: z.discriminatedUnion('type', [webDavTargetSchema, z.object({ type: z.literal('archive'), format: z.literal('tar').default('tar') }).strict()]),
    media: z.enum(['stored', 'decrypted']).default('stored'),
    verify: z.boolean().default(false),
  })
  .strict()
  .refine((b) => (b.filters === undefined) !== (b.policyId === undefined), { message: 'give either filters (those of a recordings search) or policyId', path: ['filters'] });

/** What a client asks of a new export job. */
export interface ExportJobInput {
  selection: ExportSelection;
  target: ExportTarget;
  media: ExportMediaMode;
  verify: boolean;
}

/** Parses an export job body; a bad field is a 400 naming it (never echoing a password), and nothing is stored. */
export function parseExportJob(body: unknown): ExportJobInput {
  const parsed = bodySchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'body';
    throw new InvalidParameterException(field, field.endsWith('password') ? 'must be a string' : issue.message);
  }
  const b = parsed.data;
  const selection: ExportSelection = b.filters !== undefined ? { kind: 'search', filters: b.filters } : { kind: 'policy', policyId: b.policyId!.toLowerCase() };
  return { selection, target: b.target, media: b.media, verify: b.verify };
}
