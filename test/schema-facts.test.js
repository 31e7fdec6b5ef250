// Issue 23: the zod schema (src/config/schema.ts) is the one source of the config's keys and defaults.
// The "did you mean" of an unknown key knows every key the schema knows, at every level; init writes the
// schema's defaults. Properties are seeded and bounded.
import fs from 'node:fs';
import path from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { configSchema } from '../dist/config/schema.js';
import * as validate from '../dist/config/validate.js';
import { normalizeConfig } from '../dist/config/normalize.js';
import { cleanup, cli, isolatedEnv, makeRepo } from './helpers.js';

const t = suite('one source: the schema');
t.after.each(cleanup);
const SEED = 2323;

const problems = (raw) => {
  try {
    validate.validateConfig(raw, '/p/.codexrc.json');
  } catch (e) {
    return e.message;
  }
  return '';
};

// Every object of the config, by where it sits, and a config that puts an unknown key there.
const places = [
  { at: [], put: (key) => ({ [key]: 1 }), prefix: '' },
  { at: ['hooks'], put: (key) => ({ hooks: { [key]: 1 } }), prefix: 'hooks.' },
  { at: ['mcp'], put: (key) => ({ mcp: { [key]: 1 } }), prefix: 'mcp.' },
  { at: ['environments', 'qa'], put: (key) => ({ environments: { qa: { branch: 'qa', [key]: 1 } } }), prefix: 'environments.qa.' },
];

// The schema's own objects, through zod 4's API (defaults and records unwrapped).
const shapes = {
  '': configSchema.shape,
  hooks: configSchema.shape.hooks.unwrap().shape,
  mcp: configSchema.shape.mcp.unwrap().shape,
  environment: configSchema.shape.environments.unwrap().valueType.shape,
};
const keysOf = (at) => Object.keys(shapes[at.length === 0 ? '' : at[0] === 'environments' ? 'environment' : at[0]]);

t('the known keys are read from the schema: every key of each object, environments\' mode included', () => {
  for (const place of places) assert.equal(validate.knownKeys(place.at), keysOf(place.at));
  assert.ok(validate.knownKeys(['environments', 'qa']).includes('mode'));
  assert.equal(validate.knownKeys(['sync_patterns']), []);
});

t('the issue\'s case: `mdoe: mirror` in an environment is asked "did you mean mode"', () => {
  assert.match(problems({ environments: { qa: { branch: 'qa', mdoe: 'mirror' } } }), /environments\.qa\.mdoe: unknown key \(did you mean "mode"\?\)/);
});

// One edit of a key (a letter dropped, changed, doubled, or two swapped), never another known key.
const misspelling = (key) =>
  fc.tuple(fc.nat({ max: key.length - 1 }), fc.constantFrom('drop', 'change', 'double', 'swap'), fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_')).map(([i, how, ch]) => {
    if (how === 'drop') return key.slice(0, i) + key.slice(i + 1);
    if (how === 'change') return key.slice(0, i) + ch + key.slice(i + 1);
    if (how === 'double') return key.slice(0, i) + key[i] + key.slice(i);
    const j = Math.min(i + 1, key.length - 1);
    return key.slice(0, i) + key[j] + key[i] + key.slice(j + 1);
  });

for (const place of places) {
  t(`a misspelled key ${place.prefix || 'at the top'}… gets the key it misspells as its "did you mean", for every key the schema has there`, () => {
    const known = keysOf(place.at);
    assert.ok(known.length > 0);
    for (const key of known) {
      fc.assert(
        fc.property(misspelling(key), (typo) => {
          fc.pre(typo.length > 0 && !known.includes(typo) && !/^\d+$/.test(typo));
          const m = problems(place.put(typo));
          assert.match(m, `${place.prefix}${typo}: unknown key (did you mean "${key}"?)`);
        }),
        { seed: SEED, numRuns: 40 },
      );
    }
  });
}

t('init writes the schema\'s defaults: each key it writes holds what the schema gives when the key is left out', async () => {
  const env = isolatedEnv();
  const dir = makeRepo(env);
  const r = await cli(['init', '--yes'], { cwd: dir, env });
  assert.is(r.code, 0, r.stderr);
  const written = JSON.parse(fs.readFileSync(path.join(dir, '.codexrc.json'), 'utf8'));
  const defaults = configSchema.parse({});
  const asked = ['$schema', 'organization', 'codex_url', 'project_name', 'environments'];
  const keys = Object.keys(written).filter((k) => !asked.includes(k));
  assert.ok(keys.length >= 12, keys.join(' '));
  for (const key of keys) assert.equal(written[key], defaults[key], key);
  // the default environments are added when a config is read: written out, they read the same
  const read = (raw) => Object.fromEntries(Object.entries(normalizeConfig(validate.validateConfig(raw, 'x'), dir, null).environments).map(([n, e]) => [n, [e.branch, e.mode]]));
  assert.equal(read({ environments: written.environments }), read({}));
  // and nothing init writes is unknown to the schema, nor one of its defaults left out but these two
  assert.equal(Object.keys(defaults).filter((k) => !(k in written)), ['from_codex_exclude_patterns', 'mcp']);
});

t.run();
