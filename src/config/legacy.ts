/**
 * The earlier codex plugin's file, `.fractary/plugins/codex/config.json`, read as it is (design §2): the
 * keys only the plugin used are set aside with one note, and its organisation-wide defaults fill in
 * the patterns the project does not set. Anywhere else these keys stay unknown keys.
 */
export const LEGACY_FILE = '.fractary/plugins/codex/config.json';

/** Keys that meant something to the plugin only (`test/fixtures/README.md` says what each was). */
const PLUGIN_ONLY = ['version', 'auto_sync', 'handlers', 'logging', 'notifications', 'cache'];

const DEFAULTS: Record<string, string> = { default_sync_patterns: 'sync_patterns', default_exclude_patterns: 'exclude_patterns' };

export const isLegacyFile = (filepath: string | null) => !!filepath && filepath.replace(/\\/g, '/').endsWith(`/${LEGACY_FILE}`);

/** The plugin's config as codex-hooks reads it, and the one note about what was set aside. */
export function adaptLegacy(raw: unknown): { config: unknown; note?: string } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { config: raw };
  const config: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
  const ignored = PLUGIN_ONLY.filter((k) => k in config);
  for (const k of ignored) delete config[k];
  for (const [from, to] of Object.entries(DEFAULTS)) {
    if (!(from in config)) continue;
    if (config[to] === undefined) config[to] = config[from];
    delete config[from];
  }
  return { config, note: ignored.length ? `${LEGACY_FILE}: ignored ${ignored.join(', ')} (keys only the earlier plugin used)` : undefined };
}
