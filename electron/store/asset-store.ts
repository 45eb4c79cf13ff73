/**
 * Which listings are the same asset (for the cross-source checks, quality/source-check.ts): the user declares it with
 * `candlekeep assets set BTC binance:BTCUSDT coingecko:bitcoin/usd yahoo:BTC-USD`, because only they
 * know whether, say, USDT and USD prices should be compared. Each asset has its own tolerance.
 */
import type { Db } from './database.js';
import { statementCache, type Prepare } from './statements.js';

/** A listing of an asset: one symbol on one source (every timeframe of it). */
export interface AssetListing {
  source: string;
  symbol: string;
}

export interface Asset {
  name: string;
  /** Relative close deviation beyond which sources disagree (0.005 = 0.5%). */
  tolerance: number;
  listings: AssetListing[];
}

/** Default tolerance: well above the spread between venues' closes, well below a real divergence. */
export const DEFAULT_ASSET_TOLERANCE = 0.005;

export class AssetStore {
  private readonly sql: Prepare;

  constructor(private readonly db: Db) {
    this.sql = statementCache(db);
  }

  /**
   * Create or update an asset: set its tolerance (if given) and add listings. A listing already under
   * another asset moves to this one (a listing is one asset only).
   */
  set(name: string, listings: readonly AssetListing[], tolerance: number | undefined, now: number): Asset {
    this.db.transaction(() => {
      this.sql('INSERT INTO assets (name, tolerance, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING').run(
        name,
        tolerance ?? DEFAULT_ASSET_TOLERANCE,
        now,
      );
      if (tolerance !== undefined) this.sql('UPDATE assets SET tolerance = ? WHERE name = ?').run(tolerance, name);
      const upsert = this.sql(
        'INSERT INTO asset_listings (asset, source, symbol) VALUES (?, ?, ?) ON CONFLICT (source, symbol) DO UPDATE SET asset = excluded.asset',
      );
      for (const l of listings) upsert.run(name, l.source, l.symbol);
    })();
    return this.get(name)!;
  }

  get(name: string): Asset | null {
    const row = this.sql('SELECT name, tolerance FROM assets WHERE name = ?').get(name) as
      { name: string; tolerance: number } | undefined;
    if (!row) return null;
    const listings = this.sql('SELECT source, symbol FROM asset_listings WHERE asset = ? ORDER BY source, symbol').all(
      name,
    ) as AssetListing[];
    return { ...row, listings };
  }

  list(): Asset[] {
    const names = this.sql('SELECT name FROM assets ORDER BY name').all() as Array<{ name: string }>;
    return names.map((n) => this.get(n.name)!);
  }

  /** The asset a listing belongs to, or null. */
  of(source: string, symbol: string): Asset | null {
    const row = this.sql('SELECT asset FROM asset_listings WHERE source = ? AND symbol = ?').get(source, symbol) as
      { asset: string } | undefined;
    return row ? this.get(row.asset) : null;
  }

  /** Remove listings from an asset; returns how many were removed. */
  unlist(name: string, listings: readonly AssetListing[]): number {
    const del = this.sql('DELETE FROM asset_listings WHERE asset = ? AND source = ? AND symbol = ?');
    return this.db.transaction(() => listings.reduce((n, l) => n + del.run(name, l.source, l.symbol).changes, 0))();
  }

  /** Remove an asset and its listings; false if there was none. */
  remove(name: string): boolean {
    return this.db.transaction(() => {
      this.sql('DELETE FROM asset_listings WHERE asset = ?').run(name);
      return this.sql('DELETE FROM assets WHERE name = ?').run(name).changes > 0;
    })();
  }
}
