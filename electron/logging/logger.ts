/**
 * Structured logs: JSON lines to a rotating file in the data folder, human-readable on a terminal.
 * Every line passes the redactor first, so API keys and tokens never reach a log, whatever a caller
 * put in a message or a field.
 */
import fs from 'node:fs';
import path from 'node:path';

export type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(bindings: Fields): Logger;
}

export interface LoggerOptions {
  /** JSON lines go here, rotated at `maxBytes` with `keep` old files. */
  file?: string;
  maxBytes?: number;
  keep?: number;
  /** A stream for humans (a TTY) or machines (JSON when not a TTY); none: silent. */
  console?: NodeJS.WritableStream & { isTTY?: boolean };
  level?: Level;
  /** Current secret values to blank out (read at every line: keys can change at run time). */
  secrets?: () => string[];
  now?: () => number;
}

/** Field names whose values are secrets whatever they hold. */
const SECRET_FIELD = /(api[-_]?key|secret|token|password|authorization|x-cg-(demo|pro)-api-key)/i;

export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('[redacted]');
  return out.replace(
    /(x-cg-(?:demo|pro)-api-key|x_cg_(?:demo|pro)_api_key|token|apiKey)(["']?\s*[:=]\s*["']?)[^"'&\s,}]+/gi,
    '$1$2[redacted]',
  );
}

function cleanFields(fields: Fields): Fields {
  const out: Fields = {};
  for (const [k, v] of Object.entries(fields))
    out[k] = SECRET_FIELD.test(k) ? '[redacted]' : v instanceof Error ? v.message : v;
  return out;
}

class RotatingFile {
  private size = 0;
  constructor(
    private readonly file: string,
    private readonly maxBytes: number,
    private readonly keep: number,
  ) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  }

  write(line: string): void {
    if (this.size + line.length > this.maxBytes) this.rotate();
    fs.appendFileSync(this.file, line, { mode: 0o600 });
    this.size += Buffer.byteLength(line);
  }

  private rotate(): void {
    for (let i = this.keep - 1; i >= 1; i--) {
      const from = `${this.file}.${i}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${this.file}.${i + 1}`);
    }
    if (fs.existsSync(this.file)) fs.renameSync(this.file, `${this.file}.1`);
    this.size = 0;
  }
}

export function createLogger(options: LoggerOptions, bindings: Fields = {}): Logger {
  const file = options.file
    ? new RotatingFile(options.file, options.maxBytes ?? 10 * 1024 * 1024, options.keep ?? 5)
    : null;
  const threshold = ORDER[options.level ?? 'info'];
  const now = options.now ?? Date.now;
  const write = (level: Level, msg: string, fields: Fields): void => {
    if (ORDER[level] < threshold) return;
    const secrets = options.secrets?.() ?? [];
    const at = new Date(now()).toISOString();
    const json = redact(JSON.stringify({ ts: at, level, msg, ...cleanFields({ ...bindings, ...fields }) }), secrets);
    try {
      file?.write(`${json}\n`);
    } catch {
      // a full disk must not crash the engine; the disk alert tells the user
    }
    if (!options.console) return;
    if (options.console.isTTY) {
      const extras = Object.entries(cleanFields({ ...bindings, ...fields }))
        .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
        .join(' ');
      options.console.write(
        redact(`${at.slice(11, 19)} ${level.toUpperCase().padEnd(5)} ${msg}${extras ? ` ${extras}` : ''}\n`, secrets),
      );
    } else options.console.write(`${json}\n`);
  };
  return {
    debug: (m, f = {}) => write('debug', m, f),
    info: (m, f = {}) => write('info', m, f),
    warn: (m, f = {}) => write('warn', m, f),
    error: (m, f = {}) => write('error', m, f),
    child: (extra) => createLogger(options, { ...bindings, ...extra }),
  };
}

/** A logger that drops everything (tests, short CLI commands). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
