import type { Response as SuperagentResponse } from 'superagent';

/** A supertest parser that keeps a response body as bytes (supertest only parses JSON and text). */
export function binaryBody(res: SuperagentResponse, done: (err: Error | null, body: Buffer) => void): void {
  const stream = res as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
}
