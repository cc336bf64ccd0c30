/** RWS_PUBLIC_URL: an absolute http(s) URL without query or fragment; kept without its trailing `/`. */
export function parsePublicUrl(text: string, problems: string[]): string | undefined {
  const url = httpUrlOf(text);
  if (!url || url.search || url.hash || url.username || url.password) {
    problems.push('RWS_PUBLIC_URL: an http:// or https:// URL without credentials, query or fragment (e.g. https://rws.example.com)');
    return undefined;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** RWS_NODE_URL: where the other nodes of a cluster reach this one (`http://10.0.0.5:8080`); no credentials, query or fragment. */
export function parseNodeUrl(text: string, problems: string[]): string | undefined {
  const url = httpUrlOf(text);
  if (!url || url.search || url.hash || url.username || url.password) {
    problems.push('RWS_NODE_URL: an http:// or https:// URL without credentials, query or fragment (e.g. http://10.0.0.5:8080)');
    return undefined;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** One entry of RWS_ALLOWED_ORIGINS: `scheme://host[:port]`, as a browser sends it in `Origin`. */
export function parseOrigin(text: string, problems: string[]): string | undefined {
  const url = httpUrlOf(text);
  if (!url || url.origin !== text.replace(/\/$/, '').toLowerCase()) {
    problems.push(`RWS_ALLOWED_ORIGINS: "${text}" is not an origin (http(s)://host[:port], nothing after it)`);
    return undefined;
  }
  return url.origin;
}

function httpUrlOf(text: string): URL | undefined {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
  } catch {
    return undefined;
  }
}
