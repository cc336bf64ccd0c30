import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The committed document as a YAML 1.1 reader (e.g. PyYAML, SnakeYAML) sees it. */
const document: Json = parse(readFileSync(join(__dirname, '..', 'openapi', 'openapi.yaml'), 'utf8'), { version: '1.1' });
const operations = Object.entries(document.paths as Json).flatMap(([path, item]) =>
  Object.entries(item as Json)
    .filter(([method]) => ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'].includes(method))
    .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op: op as Json })),
);

describe('the OpenAPI document', () => {
  it('documents the error envelope on every operation (500 and 503 at least; 401/403 where credentials are needed)', () => {
    const missing = operations.filter(({ op }) => !op.responses['500'] || !op.responses['503'] || (op.security.length > 0 && (!op.responses['401'] || !op.responses['403'])));
    expect(missing.map((o) => o.name)).toEqual([]);
    expect(document.components.responses.NotFound.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorEnvelope' });
  });

  it('gives every parameter a schema', () => {
    const empty = operations.flatMap(({ name, op }) => ((op.parameters ?? []) as Json[]).filter((p) => !p.schema || Object.keys(p.schema).length === 0).map((p) => `${name} ${p.name}`));
    expect(empty).toEqual([]);
  });

  it('keeps "off" a string for YAML 1.1 readers', () => {
    const enums: unknown[][] = [];
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) node.forEach(walk);
      else if (node && typeof node === 'object') {
        for (const [key, value] of Object.entries(node)) {
          if (key === 'enum' && Array.isArray(value)) enums.push(value);
          walk(value);
        }
      }
    };
    walk(document);
    expect(enums.some((values) => values.includes('off'))).toBe(true);
    expect(enums.filter((values) => values.some((v) => typeof v === 'boolean'))).toEqual([]);
  });
});
