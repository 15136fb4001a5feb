import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

const QUEUED = Symbol('jaeger-decorators.queuedResponses');

interface SocketWithQueue extends Socket {
  [QUEUED]?: Set<() => void>;
}

/**
 * Calls `onGone` if `socket` closes before `res`, a response queued behind others on a pipelined connection (it
 * has no socket yet, and on Node 20 it never closes when the client goes away first). One 'close' listener a
 * connection, whatever the number of responses queued on it: one each would pass Node's limit of ten listeners
 * (MaxListenersExceededWarning) with the eleventh pipelined request.
 */
export function onConnectionGoneBefore(res: ServerResponse, socket: Socket, onGone: () => void): void {
  const holder = socket as SocketWithQueue;
  let queued = holder[QUEUED];
  if (queued === undefined) {
    const waiting = new Set<() => void>();
    queued = waiting;
    holder[QUEUED] = waiting;
    socket.once('close', () => {
      holder[QUEUED] = undefined;
      for (const gone of waiting) gone();
    });
  }
  const waiting = queued;
  waiting.add(onGone);
  res.once('close', () => waiting.delete(onGone));
}
