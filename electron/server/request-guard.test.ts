/** The request guard's rules one by one (the server tests drive the same rules over real loopback). */
import { describe, expect, it } from 'vitest';
import os from 'node:os';
import { RequestGuard, isJsonContentType, splitHost } from './request-guard.js';

const guard = (bindHost: string, extra: { allowHosts?: string[]; allowOrigins?: string[] } = {}): RequestGuard =>
  new RequestGuard({ bindHost, port: () => 8137, ...extra });

describe('host rule', () => {
  it('splits names and ports, IPv6 in brackets, lower-case, without a trailing dot', () => {
    expect(splitHost('[::1]:8137')).toEqual({ name: '[::1]', port: 8137 });
    expect(splitHost('LocalHost.:8137')).toEqual({ name: 'localhost', port: 8137 });
    expect(splitHost('candles.lan')).toEqual({ name: 'candles.lan', port: null });
    expect(splitHost('a:b:c')).toBeNull();
  });

  it('on loopback: 127.0.0.1, [::1] and localhost on its own port only', () => {
    const g = guard('127.0.0.1');
    for (const ok of ['127.0.0.1:8137', '[::1]:8137', 'localhost:8137', 'localhost.:8137'])
      expect(g.checkHost(ok), ok).toBeNull();
    for (const bad of [
      '127.0.0.1:8138',
      '127.0.0.1',
      'attacker.example:8137',
      '127.0.0.2:8137',
      '192.168.1.5:8137',
      'evil.example@127.0.0.1:8137',
      '',
      undefined,
    ]) {
      expect(g.checkHost(bad), String(bad)).toMatchObject({ status: 403, reason: 'bad_host' });
    }
  });

  it('on another address: that address; on a wildcard: loopback names and every local address; allowed names on any port', () => {
    expect(guard('192.168.1.5').checkHost('192.168.1.5:8137')).toBeNull();
    expect(guard('192.168.1.5').checkHost('localhost:8137')).toMatchObject({ reason: 'bad_host' });
    const wildcard = guard('0.0.0.0');
    expect(wildcard.checkHost('localhost:8137')).toBeNull();
    const local = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4')!.address;
    expect(wildcard.checkHost(`${local}:8137`)).toBeNull();
    const proxied = guard('127.0.0.1', { allowHosts: ['Candles.LAN'] });
    for (const ok of ['candles.lan', 'candles.lan:443', 'CANDLES.lan:8080'])
      expect(proxied.checkHost(ok), ok).toBeNull();
    expect(proxied.checkHost('other.lan')).toMatchObject({ reason: 'bad_host' });
  });

  it('says how to reach the server instead', () => {
    expect(guard('127.0.0.1').checkHost('attacker.example')!.message).toBe(
      "Host 'attacker.example' is not this server's name: open it as http://127.0.0.1:8137, or start serve with --allow-host NAME",
    );
  });
});

describe('origin rule', () => {
  it('passes requests with no Origin (tools) and from the Host they were sent to (the dashboard itself)', () => {
    const g = guard('127.0.0.1');
    expect(g.checkOrigin(undefined, '127.0.0.1:8137')).toBeNull();
    expect(g.checkOrigin('http://127.0.0.1:8137', '127.0.0.1:8137')).toBeNull();
    expect(g.checkOrigin('http://LOCALHOST:8137', 'localhost:8137')).toBeNull();
  });

  it('refuses every other origin, null included, unless allowed', () => {
    const g = guard('127.0.0.1', { allowOrigins: ['https://tools.example:8443'] });
    for (const bad of [
      'http://127.0.0.1:9999',
      'http://localhost:8137',
      'null',
      'file://',
      'http://127.0.0.1:8137.evil.example',
    ]) {
      expect(g.checkOrigin(bad, '127.0.0.1:8137'), bad).toMatchObject({ status: 403, reason: 'bad_origin' });
    }
    expect(g.checkOrigin('https://tools.example:8443', '127.0.0.1:8137')).toBeNull();
  });
});

describe('JSON body rule', () => {
  it('takes application/json with parameters, and nothing a form or a no-cors fetch can send', () => {
    expect(isJsonContentType('application/json')).toBe(true);
    expect(isJsonContentType('Application/JSON; charset=utf-8')).toBe(true);
    for (const bad of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
      undefined,
    ]) {
      expect(guard('127.0.0.1').checkJsonBody(bad), String(bad)).toMatchObject({
        status: 415,
        reason: 'bad_content_type',
      });
    }
  });
});
