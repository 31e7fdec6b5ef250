// Generates schema.json from the zod schema (dist/config/schema.js): `npm run schema`.
// test/schema.test.js fails when the committed schema.json and the zod schema drift apart.
import fs from 'node:fs';
import { z } from 'zod';
import { configSchema } from '../dist/config/schema.js';

export function generateSchema() {
  const schema = z.toJSONSchema(configSchema, { io: 'input', target: 'draft-7' });
  return JSON.stringify(
    {
      ...schema,
      $id: 'https://unpkg.com/codex-hooks/schema.json',
      title: 'codex-hooks configuration',
      description: 'Configuration of codex-hooks (.codexrc.json, the "codex" key of package.json, …)',
    },
    null,
    2,
  ) + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  fs.writeFileSync(new URL('../schema.json', import.meta.url), generateSchema());
  console.log('wrote schema.json');
}
