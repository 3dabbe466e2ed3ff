// A deliberately small HTTP/1.1 client: one keep-alive TCP socket, one request at a time,
// callbacks instead of promises, requests written as prebuilt strings. It parses exactly what the
// benchmark needs (status, headers, Content-Length / chunked / read-until-close bodies) so the
// load generator costs far less CPU than the servers it measures.
import net from 'node:net';

const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

export class Http1Conn {
  constructor(host, port) {
    this.host = host;
    this.port = port;
    this.sock = null;
    this.cb = null; // pending request callback
    this.deadline = 0; // ms timestamp; 0 = nothing in flight
    this.buf = null;
    this.resetParser();
  }

  resetParser() {
    this.stage = 0; // 0 head, 1 fixed-length body, 2 chunked body, 3 until close
    this.status = 0;
    this.headers = null;
    this.remaining = 0;
    this.parts = [];
    this.chunkLeft = -1; // -1: expecting a chunk-size line
  }

  connect() {
    const sock = net.connect({ host: this.host, port: this.port, noDelay: true });
    this.sock = sock;
    this.buf = null;
    this.resetParser();
    sock.on('data', (d) => {
      if (this.sock === sock) this.onData(d);
    });
    const onGone = (err) => {
      if (this.sock !== sock) return;
      this.sock = null;
      if (this.cb !== null) {
        if (this.stage === 3 && !err) this.finish(Buffer.concat(this.parts));
        else this.fail(err ? `socket:${err.code || err.message}` : 'socket:closed');
      }
    };
    sock.on('error', onGone);
    sock.on('close', () => onGone(null));
  }

  /** Sends a prebuilt request; cb(errKind|null, {status, headers, body}). One at a time. */
  request(raw, timeoutMs, cb) {
    if (this.cb !== null) throw new Error('request already in flight');
    if (this.sock === null || this.sock.destroyed) this.connect();
    this.cb = cb;
    this.deadline = Date.now() + timeoutMs;
    this.resetParser();
    this.sock.write(raw);
  }

  /** Called by the owner's sweep: fails the request if its deadline passed. */
  checkTimeout(now) {
    if (this.cb !== null && now > this.deadline) {
      this.destroy();
      this.fail('timeout');
    }
  }

  destroy() {
    const s = this.sock;
    this.sock = null;
    if (s) s.destroy();
  }

  fail(kind) {
    const cb = this.cb;
    this.cb = null;
    this.deadline = 0;
    this.destroy(); // the connection state is unknown after any failure
    if (cb) cb(kind, null);
  }

  finish(body) {
    const cb = this.cb;
    const res = { status: this.status, headers: this.headers, body };
    const close =
      this.stage === 3 || (this.headers.connection || '').toLowerCase() === 'close' || (this.buf !== null && this.buf.length > 0);
    this.cb = null;
    this.deadline = 0;
    this.buf = null;
    this.resetParser();
    if (close) this.destroy();
    if (cb) cb(null, res);
  }

  onData(d) {
    if (this.cb === null) {
      // Bytes with no request in flight: the peer is confused; drop the connection.
      this.destroy();
      return;
    }
    this.buf = this.buf === null || this.buf.length === 0 ? d : Buffer.concat([this.buf, d]);
    for (;;) {
      if (this.stage === 0) {
        const end = this.buf.indexOf(HEAD_END);
        if (end === -1) return;
        const head = this.buf.toString('latin1', 0, end);
        this.buf = this.buf.subarray(end + 4);
        const lines = head.split('\r\n');
        this.status = Number(lines[0].slice(9, 12));
        const headers = {};
        for (let i = 1; i < lines.length; i++) {
          const c = lines[i].indexOf(':');
          if (c > 0) headers[lines[i].slice(0, c).toLowerCase()] = lines[i].slice(c + 1).trim();
        }
        this.headers = headers;
        if (this.status === 100) {
          this.stage = 0;
          continue;
        }
        if ((headers['transfer-encoding'] || '').toLowerCase().includes('chunked')) {
          this.stage = 2;
        } else if (headers['content-length'] !== undefined) {
          this.stage = 1;
          this.remaining = Number(headers['content-length']);
        } else if (this.status === 204 || this.status === 304) {
          this.stage = 1;
          this.remaining = 0;
        } else {
          this.stage = 3;
        }
      }
      if (this.stage === 1) {
        if (this.buf.length < this.remaining) return;
        const body = this.buf.subarray(0, this.remaining);
        this.buf = this.buf.subarray(this.remaining);
        this.finish(body);
        return;
      }
      if (this.stage === 3) {
        if (this.buf.length > 0) this.parts.push(this.buf);
        this.buf = null;
        return;
      }
      // stage 2: chunked
      for (;;) {
        if (this.chunkLeft === -1) {
          const eol = this.buf.indexOf(CRLF);
          if (eol === -1) return;
          const size = parseInt(this.buf.toString('latin1', 0, eol), 16);
          if (Number.isNaN(size)) {
            this.fail('bad_chunk');
            return;
          }
          this.buf = this.buf.subarray(eol + 2);
          if (size === 0) {
            this.chunkLeft = -2; // trailers until an empty line
          } else {
            this.chunkLeft = size;
          }
        }
        if (this.chunkLeft === -2) {
          const eol = this.buf.indexOf(CRLF);
          if (eol === -1) return;
          if (eol === 0) {
            this.buf = this.buf.subarray(2);
            this.finish(this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts));
            return;
          }
          this.buf = this.buf.subarray(eol + 2); // skip a trailer line
          continue;
        }
        if (this.buf.length < this.chunkLeft + 2) return;
        this.parts.push(this.buf.subarray(0, this.chunkLeft));
        this.buf = this.buf.subarray(this.chunkLeft + 2);
        this.chunkLeft = -1;
      }
    }
  }
}
