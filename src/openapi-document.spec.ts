import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderOpenApiYaml } from './openapi-document';

describe('committed OpenAPI document', () => {
  it('is what the code generates (run "npm run openapi" after changing an endpoint)', async () => {
    const committed = readFileSync(join(__dirname, '..', 'openapi', 'openapi.yaml'), 'utf8');
    expect(await renderOpenApiYaml()).toEqual(committed);
  });
});
