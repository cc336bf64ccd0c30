import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApiYaml } from '../src/openapi-document';

/** Regenerates openapi/openapi.yaml from the code. */
renderOpenApiYaml()
  .then((yaml) => {
    const target = join(__dirname, '..', '..', 'openapi', 'openapi.yaml');
    writeFileSync(target, yaml);
    process.stdout.write(`wrote ${target}\n`);
  })
  .catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
