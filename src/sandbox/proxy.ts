import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';

// `sandbox.network.allowedHosts`: the sandbox has no network of its own, so allowed traffic goes through
// this HTTP proxy on the host, reached over a Unix socket that a small bridge inside the sandbox exposes as
// 127.0.0.1:PROXY_PORT (HTTP_PROXY/HTTPS_PROXY point there). CONNECT and plain-HTTP requests to hosts
// outside the list get 403.

export const PROXY_PORT = 3128;

/** `example.com` matches itself; `*.example.com` matches its subdomains. Case and a final dot are ignored. */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
  return allowed.some((entry) => {
    const e = entry.toLowerCase().trim().replace(/\.$/, '');
    if (e.startsWith('*.')) return h.endsWith(e.slice(1)) && h.length > e.length - 1;
    return h === e;
  });
}

function splitHostPort(target: string, fallback: number): { host: string; port: number } {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(target) ?? /^([^:]+)(?::(\d+))?$/.exec(target);
  return { host: m?.[1] ?? target, port: m?.[2] ? Number(m[2]) : fallback };
}

const refusal = (host: string) =>
  `claw sandbox: ${host} is not in sandbox.network.allowedHosts; the user can add it to their settings.\n`;

export interface FilteringProxy {
  socketPath: string;
  close(): void;
}

/** Starts listening at once (the socket exists when this returns). */
export function startFilteringProxy(socketPath: string, allowed: readonly string[]): FilteringProxy {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('claw sandbox proxy: expected an absolute URL\n');
      return;
    }
    if (url.protocol !== 'http:' || !hostAllowed(url.hostname, allowed)) {
      res.writeHead(403, { 'content-type': 'text/plain' }).end(refusal(url.hostname));
      return;
    }
    const upstream = http.request(
      { host: url.hostname, port: url.port || 80, method: req.method, path: `${url.pathname}${url.search}`, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`claw sandbox proxy: ${e.message}\n`);
    });
    req.pipe(upstream);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    const { host, port } = splitHostPort(req.url ?? '', 443);
    client.on('error', () => undefined);
    if (!hostAllowed(host, allowed)) {
      client.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\n${refusal(host)}`);
      return;
    }
    const upstream = net.connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', (e) => client.end(`HTTP/1.1 502 Bad Gateway\r\n\r\nclaw sandbox proxy: ${e.message}\n`));
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  fs.rmSync(socketPath, { force: true });
  server.listen(socketPath);
  server.unref();
  return {
    socketPath,
    close() {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

/**
 * Runs inside the sandbox (as `node bridge.cjs <socket> <port> <shell> <args…>`): listens on 127.0.0.1:port
 * in the sandbox's own network namespace, forwards each connection to the host proxy's socket, and runs
 * the shell as its child (fd 3, the cwd report, passed through).
 */
export const BRIDGE_SOURCE = `'use strict';
const net = require('net');
const fs = require('fs');
const { spawn } = require('child_process');
const [sock, port, file, ...args] = process.argv.slice(2);
const server = net.createServer((c) => {
  const u = net.connect(sock);
  c.on('error', () => u.destroy());
  u.on('error', () => c.destroy());
  c.pipe(u);
  u.pipe(c);
});
server.listen(Number(port), '127.0.0.1', () => {
  let fd3 = false;
  try { fs.fstatSync(3); fd3 = true; } catch {}
  const child = spawn(file, args, { stdio: fd3 ? [0, 1, 2, 3] : [0, 1, 2] });
  for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(s, () => child.kill(s));
  child.on('error', (e) => { process.stderr.write(e.message + '\\n'); process.exit(127); });
  child.on('exit', (code, sig) => process.exit(code === null ? 128 + (require('os').constants.signals[sig] || 1) : code));
});
`;
