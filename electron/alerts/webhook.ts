/**
 * Delivering alerts to a webhook (Slack/Discord/ntfy-style receivers take a JSON POST): each raise
 * and clear is sent once, retried with backoff if the receiver fails, never repeated while the alert
 * stays active. The URL may carry a token, so it never appears in logs or errors.
 */
import http from 'node:http';
import https from 'node:https';
import type { Clock } from '../net/clock.js';
import type { Alert } from '../../shared/health.js';

export interface WebhookMessage {
  status: 'firing' | 'resolved';
  alert: Alert;
  /** A one-line text for receivers that show `text` (Slack, Mattermost) or `content` (Discord). */
  text: string;
  content: string;
}

const MAX_ATTEMPTS = 6;

function post(url: string, body: string, timeoutMs: number): Promise<number> {
  const target = new URL(url);
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      target,
      {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          'User-Agent': 'Candlekeep',
        },
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

export class WebhookSender {
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    private readonly url: () => string | null,
    private readonly onGiveUp: (message: string) => void,
  ) {}

  send(status: WebhookMessage['status'], alert: Alert): void {
    const url = this.url();
    if (!url) return;
    const line = `${status === 'firing' ? '🔴' : '✅'} ${alert.title}: ${alert.message}`;
    const body = JSON.stringify({ status, alert, text: line, content: line } satisfies WebhookMessage);
    // One delivery at a time, in order: a receiver sees raise before clear.
    this.queue = this.queue.then(() => this.deliver(url, body, alert));
  }

  private async deliver(url: string, body: string, alert: Alert): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        const status = await post(url, body, 10_000);
        if (status >= 200 && status < 300) return;
        if (status >= 400 && status < 500 && status !== 429) break;
      } catch {
        // network error: retry
      }
      await this.clock.sleep(Math.min(60_000, 1_000 * 2 ** attempt));
    }
    this.onGiveUp(`the alert webhook did not accept "${alert.title}" after ${MAX_ATTEMPTS} attempts`);
  }

  /** Resolves when every queued delivery has finished (tests, shutdown). */
  drained(): Promise<void> {
    return this.queue;
  }
}
