// Preloaded (`node --import`) into peers that have no listen-address option, so that every server
// in the benchmark binds 127.0.0.1 only. It rewrites the host of net.Server#listen calls that
// name a TCP port; it does not touch anything else.
import net from 'node:net';

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const a0 = args[0];
  if (a0 !== null && typeof a0 === 'object' && !Array.isArray(a0)) {
    if (a0.path === undefined && a0.fd === undefined && a0.handle === undefined && a0._handle === undefined) {
      args[0] = { ...a0, host: '127.0.0.1' };
    }
  } else if (typeof a0 === 'number' || (typeof a0 === 'string' && /^\d+$/.test(a0))) {
    if (typeof args[1] === 'string') args[1] = '127.0.0.1';
    else args.splice(1, 0, '127.0.0.1');
  }
  return listen.apply(this, args);
};
