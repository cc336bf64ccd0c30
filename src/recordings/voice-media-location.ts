/** One WebDAV store of a contact center's voice storage settings (`settings/recordings`). */
export interface VoiceStore {
  storagePath: string;
  username?: string;
  password?: string;
}

/** Where a voice media file is: inside one configured store, as a path relative to the store's root. */
export interface VoiceMediaLocation {
  store: VoiceStore;
  /** The store's root, with a trailing `/`. */
  base: string;
  /** Decoded path below the root: segments without `.`/`..`, never empty. */
  relative: string;
}

/**
 * Resolves a `mediaDescriptor.path` inside the contact center's configured voice stores, or undefined when
 * it lies outside every one of them. This is the only way RWS turns a recording's path into a URL: a path a
 * client posted is never fetched or deleted unless it names an object below a configured store's root (no
 * other host, no `..`, no user info, query or fragment). A relative path is resolved in the first store.
 */
export function resolveVoiceMedia(stores: VoiceStore[], path: string): VoiceMediaLocation | undefined {
  const absolute = /^[a-z][a-z0-9+.-]*:/i.test(path);
  if (!absolute) {
    const store = stores[0];
    const base = store && rootOf(store.storagePath);
    const relative = base && checkedRelative(path.replace(/^\/+/, ''));
    return store && base && relative ? { store, base, relative } : undefined;
  }
  const url = parseHttpUrl(path);
  if (!url) return undefined;
  for (const store of stores) {
    const base = rootOf(store.storagePath);
    if (!base) continue;
    const root = new URL(base);
    if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) continue;
    // Checked on the raw path too: the URL parser resolves `..` that a store's server might see differently.
    const raw = path.slice(path.indexOf(root.pathname, root.origin.length));
    const relative = raw.startsWith(root.pathname) ? checkedRelative(raw.slice(root.pathname.length)) : undefined;
    if (relative) return { store, base, relative };
  }
  return undefined;
}

/** A store's root URL with a trailing `/`, or undefined when it is not a plain http(s) URL. */
function rootOf(storagePath: string): string | undefined {
  const url = parseHttpUrl(storagePath);
  if (!url) return undefined;
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function parseHttpUrl(value: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || url.search || url.hash) return undefined;
  return url;
}

/** The decoded relative path when every segment is a plain name (no `.`, `..`, encoded `/` or `\`, control characters). */
function checkedRelative(encoded: string): string | undefined {
  if (encoded === '' || /[?#\\]/.test(encoded)) return undefined;
  const segments = encoded.split('/');
  const decoded: string[] = [];
  for (const segment of segments) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name) || [...name].some((ch) => ch.charCodeAt(0) < 0x20)) return undefined;
    decoded.push(name);
  }
  return decoded.join('/');
}
