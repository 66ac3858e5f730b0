// The bundled presets, as data. esbuild inlines the JSON, so core stays free of file I/O.
import dataScience from '../policies/data_science.json';
import development from '../policies/development.json';
import educational from '../policies/educational.json';
import minimal from '../policies/minimal.json';
import production from '../policies/production.json';
import recommended from '../policies/recommended.json';
import strictNoNetwork from '../policies/strict-no-network.json';
import strict from '../policies/strict.json';
import webScraping from '../policies/web_scraping.json';

/** Ours first (recommended is the default), then llm-sandbox's seven in its SECURITY_PRESETS order. */
export const PRESETS: Record<string, unknown> = {
  recommended,
  'strict-no-network': strictNoNetwork,
  development,
  production,
  educational,
  data_science: dataScience,
  web_scraping: webScraping,
  minimal,
  strict,
};
