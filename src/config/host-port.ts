/** A `host:port` pair from a comma-separated address setting. */
export interface HostPort {
  host: string;
  port: number;
}

/** Parses `host:port[,host:port…]`; a missing port takes `defaultPort` when one is given. */
export function parseHostPortList(value: string, defaultPort?: number): HostPort[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new Error('expected host:port[,host:port]');
  return items.map((item) => {
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(item);
    const port = match?.[2] !== undefined ? Number(match[2]) : defaultPort;
    if (!match || port === undefined || port < 1 || port > 65535) {
      throw new Error(`"${item}" is not host:port`);
    }
    return { host: match[1].replace(/^\[|\]$/g, ''), port };
  });
}
