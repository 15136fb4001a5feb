// The types of free-ports.js, for the TypeScript that requires it (the test support, the demo's runner).

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freeTcpPort(): Promise<number>;
/** A UDP port on 127.0.0.1 that was free a moment ago. */
export function freeUdpPort(): Promise<number>;
/** Whether `error` (with the server's log in its message) says the server could not bind its port. */
export function lostItsPort(error: unknown): boolean;
/** Calls `start` again, up to `attempts` times in all, while it fails because a port it picked was taken. */
export function startOnFreePorts<T>(name: string, start: () => Promise<T>, options?: { attempts?: number; log?: (message: string) => void }): Promise<T>;
