import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

const TIME = { type: 'string', description: 'ISO-8601, millis optional, `Z`, `+0000` or `+00:00`', example: '2014-12-16T18:42:41Z' } as const;
const DECIMAL = (what: string, example: string): SchemaObject => ({ type: 'string', pattern: '^\\d{1,18}(\\.\\d{1,9})?$', description: `${what}, a decimal number written as a JSON string; kept exactly as sent`, example });

/**
 * The Recording Processor's insert document (api.md §2) as OpenAPI shows it: the fields RWS reads and checks
 * (recording-insert.validation.ts). Every other field is kept and returned as posted (additionalProperties).
 */
export const RECORDING_INSERT_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: true,
  required: ['id', 'callerPhoneNumber', 'dialedPhoneNumber', 'mediaFiles', 'eventHistory', 'region'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9._:@-]{1,128}$', description: 'The CallUUID; the upsert key', example: '01I6E87G24A6B45KKSC362LAES000781' },
    ccid: { type: 'string', description: 'Optional; must equal the contact center of the path when given' },
    region: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}$', description: "Must be the node's region (RWS_REGION)", example: 'region1' },
    callerPhoneNumber: { type: 'string', example: '+16172640431' },
    dialedPhoneNumber: { type: 'string', example: '+18489993333' },
    startTime: TIME,
    stopTime: TIME,
    callType: { type: 'string', example: 'Inbound' },
    partitions: { type: 'array', items: { type: 'string' } },
    labels: { type: 'array', items: { type: 'string' } },
    nonDelete: { type: 'boolean' },
    eventHistory: {
      type: 'array',
      maxItems: 10_000,
      items: {
        type: 'object',
        additionalProperties: true,
        properties: {
          occurredAt: TIME,
          calluuid: { type: 'string' },
          event: { type: 'string', example: 'Joined' },
          contact: { type: 'object', additionalProperties: true, properties: { type: { type: 'string' }, phoneNumber: { type: 'string' }, agentId: { type: 'string' }, userName: { type: 'string' } } },
        },
      },
    },
    mediaFiles: {
      type: 'array',
      maxItems: 1000,
      description: 'Merged by mediaId on a repeated post',
      items: {
        type: 'object',
        additionalProperties: true,
        required: ['mediaId'],
        properties: {
          mediaId: { type: 'string', maxLength: 512, example: 'callrec.008E0149-12132920.141216184241.mp3' },
          callUUID: { type: 'string' },
          type: { type: 'string', example: 'audio/mp3' },
          startTime: TIME,
          stopTime: TIME,
          duration: DECIMAL('Length in seconds (or milliseconds, as the sender writes it)', '38.376'),
          size: DECIMAL('Bytes', '153504'),
          tenant: { type: 'string' },
          ivrprofile: { type: 'string' },
          parameters: {
            type: 'object',
            additionalProperties: true,
            description: '`agentId` names the recorded agent (access rule a/b); `GRECORD_PARTITIONS` (comma-separated) adds partitions',
            properties: { connId: { type: 'string' }, agentId: { type: 'string' }, userName: { type: 'string' }, GRECORD_PARTITIONS: { type: 'string' } },
          },
          mediaDescriptor: {
            type: 'object',
            additionalProperties: true,
            description: "Where the media is: an absolute WebDAV URL, or a path relative to the contact center's voice storage (settings/recordings) or, with none configured, to the node's own storage",
            properties: { storage: { type: 'string', example: 'webDAV' }, path: { type: 'string', example: 'voice/01I6E87G24A6B45KKSC362LAES000781.mp3' } },
          },
          pkcs7: { type: 'string', description: 'PEM CMS EnvelopedData of encrypted media' },
          accessgroups: { type: 'array', items: { type: 'string' }, description: "The recorded agent's hierarchy when the sender knows it (`/` = unknown)" },
          partitions: { type: 'array', items: { type: 'string' } },
          masks: { type: 'array', items: {} },
        },
      },
    },
  },
};
