/**
 * The environment sources are configured from: the database's settings and the stored API keys,
 * under the process's own environment (which wins, so CANDLEKEEP_*_URL still points at a simulator).
 * Built fresh whenever settings or keys change; never logged (it holds keys).
 */
import type { Settings } from '../shared/settings.js';
import type { SecretStore } from './secrets/secret-store.js';
import { BINANCE_DEFAULT_HOSTS } from '../shared/settings.js';

export function sourceEnvironment(settings: Settings, secrets: SecretStore, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const derived: Record<string, string> = {};
  const hosts = settings.sources.binanceHosts;
  if (hosts.join(',') !== BINANCE_DEFAULT_HOSTS.join(',')) derived.CANDLEKEEP_BINANCE_URL = hosts.join(',');
  if (settings.sources.coingeckoCallsPerMinute)
    derived.CANDLEKEEP_COINGECKO_CALLS_PER_MIN = String(settings.sources.coingeckoCallsPerMinute);
  if (settings.sources.yahooCallsPerMinute)
    derived.CANDLEKEEP_YAHOO_CALLS_PER_MIN = String(settings.sources.yahooCallsPerMinute);
  const demo = secrets.get('coingecko.apiKey');
  const pro = secrets.get('coingecko.proApiKey');
  if (demo) derived.CANDLEKEEP_COINGECKO_API_KEY = demo;
  if (pro) derived.CANDLEKEEP_COINGECKO_PRO_API_KEY = pro;
  return { ...derived, ...env };
}
