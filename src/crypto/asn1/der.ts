/**
 * A small ASN.1 codec for what CMS and X.509 need here. Reading accepts BER as OpenSSL and media servers
 * emit it (indefinite lengths, constructed OCTET STRINGs); writing always produces DER.
 *
 * Own code rather than a library: the structures are few and fixed, the reader must be strict about
 * bounds on untrusted input, and no maintained CommonJS package supports RSA-OAEP key transport in CMS
 * EnvelopedData (node-forge's PKCS#7 knows rsaEncryption only).
 */

/** Tag classes (the two high bits of the identifier octet). */
export const TagClass = { Universal: 0x00, Application: 0x40, Context: 0x80, Private: 0xc0 } as const;

/** Universal tag numbers used in CMS. */
export const Tag = {
  Boolean: 0x01,
  Integer: 0x02,
  BitString: 0x03,
  OctetString: 0x04,
  Null: 0x05,
  ObjectIdentifier: 0x06,
  Sequence: 0x10,
  Set: 0x11,
} as const;

/** One decoded element. `raw` is the element's whole encoding as read (header, content, end-of-contents). */
export interface Asn1Node {
  tagClass: number;
  constructed: boolean;
  tagNumber: number;
  /** Content octets of a primitive element (empty for constructed ones). */
  content: Buffer;
  children: Asn1Node[];
  raw: Buffer;
}

/** Input is not the ASN.1 structure expected; the message says where. */
export class Asn1Error extends Error {}

const MAX_DEPTH = 32;

/** Decodes exactly one element spanning the whole buffer. */
export function decodeDer(input: Buffer): Asn1Node {
  const { node, end } = readElement(input, 0, 0);
  if (end !== input.length) throw new Asn1Error(`${input.length - end} trailing bytes after the ASN.1 element`);
  return node;
}

function readElement(buf: Buffer, offset: number, depth: number): { node: Asn1Node; end: number } {
  if (depth > MAX_DEPTH) throw new Asn1Error('ASN.1 nesting too deep');
  if (offset + 2 > buf.length) throw new Asn1Error(`truncated ASN.1 header at offset ${offset}`);
  const identifier = buf[offset];
  const tagNumber = identifier & 0x1f;
  if (tagNumber === 0x1f) throw new Asn1Error(`high tag numbers are not supported (offset ${offset})`);
  const constructed = (identifier & 0x20) !== 0;
  let cursor = offset + 1;
  const first = buf[cursor++];
  let length = -1;
  if (first < 0x80) {
    length = first;
  } else if (first === 0x80) {
    if (!constructed) throw new Asn1Error(`indefinite length on a primitive element (offset ${offset})`);
  } else {
    const octets = first & 0x7f;
    if (octets > 4) throw new Asn1Error(`ASN.1 length too large (offset ${offset})`);
    if (cursor + octets > buf.length) throw new Asn1Error(`truncated ASN.1 length at offset ${offset}`);
    length = 0;
    for (let i = 0; i < octets; i++) length = length * 256 + buf[cursor++];
  }
  const node: Asn1Node = { tagClass: identifier & 0xc0, constructed, tagNumber, content: Buffer.alloc(0), children: [], raw: Buffer.alloc(0) };
  let end: number;
  if (length >= 0) {
    end = cursor + length;
    if (end > buf.length) throw new Asn1Error(`ASN.1 element at offset ${offset} runs past the end of input`);
    if (constructed) {
      let child = cursor;
      while (child < end) {
        const read = readElement(buf.subarray(0, end), child, depth + 1);
        node.children.push(read.node);
        child = read.end;
      }
    } else {
      node.content = buf.subarray(cursor, end);
    }
  } else {
    let child = cursor;
    for (;;) {
      if (child + 2 > buf.length) throw new Asn1Error(`unterminated indefinite-length element at offset ${offset}`);
      if (buf[child] === 0 && buf[child + 1] === 0) {
        end = child + 2;
        break;
      }
      const read = readElement(buf, child, depth + 1);
      node.children.push(read.node);
      child = read.end;
    }
  }
  node.raw = buf.subarray(offset, end);
  return { node, end };
}

/** True when `node` is the universal element `tag`. */
export function isUniversal(node: Asn1Node | undefined, tag: number): node is Asn1Node {
  return node !== undefined && node.tagClass === TagClass.Universal && node.tagNumber === tag;
}

/** True when `node` is the context-specific element `[n]`. */
export function isContext(node: Asn1Node | undefined, n: number): node is Asn1Node {
  return node !== undefined && node.tagClass === TagClass.Context && node.tagNumber === n;
}

/** Asserts a universal element and returns it; `what` names it in the error. */
export function expectUniversal(node: Asn1Node | undefined, tag: number, what: string): Asn1Node {
  if (!isUniversal(node, tag)) throw new Asn1Error(`expected ${what}`);
  return node;
}

/** The value of an OCTET STRING, primitive or (BER) constructed from segments. */
export function octetStringValue(node: Asn1Node): Buffer {
  if (!node.constructed) return node.content;
  return Buffer.concat(node.children.map(octetStringValue));
}

/** The dotted form of an OBJECT IDENTIFIER. */
export function oidValue(node: Asn1Node): string {
  const bytes = expectUniversal(node, Tag.ObjectIdentifier, 'an OBJECT IDENTIFIER').content;
  if (bytes.length === 0 || bytes[bytes.length - 1] & 0x80) throw new Asn1Error('malformed OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let value = 0;
  for (const byte of bytes) {
    value = value * 128 + (byte & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) throw new Asn1Error('OBJECT IDENTIFIER arc too large');
    if ((byte & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  const first = arcs[0] < 80 ? Math.floor(arcs[0] / 40) : 2;
  return [first, arcs[0] - first * 40, ...arcs.slice(1)].join('.');
}

/** A small non-negative INTEGER (versions). */
export function smallIntegerValue(node: Asn1Node): number {
  const bytes = expectUniversal(node, Tag.Integer, 'an INTEGER').content;
  if (bytes.length === 0 || bytes.length > 4 || bytes[0] & 0x80) throw new Asn1Error('INTEGER out of range');
  return bytes.reduce((v, b) => v * 256 + b, 0);
}

// ---- DER writing ----

function lengthOctets(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  const bytes: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** The identifier and length octets of an element whose `length` content bytes follow separately. */
export function derHeader(identifier: number, length: number): Buffer {
  return Buffer.concat([Buffer.from([identifier]), lengthOctets(length)]);
}

/** One element from its identifier octet and content. */
export function element(identifier: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([identifier]), lengthOctets(body.length), body]);
}

export const derSequence = (...items: Buffer[]): Buffer => element(0x30, ...items);
/** A SET OF; DER orders the encoded members. */
export const derSetOf = (...items: Buffer[]): Buffer => element(0x31, ...[...items].sort(Buffer.compare));
export const derOctetString = (value: Buffer): Buffer => element(Tag.OctetString, value);
export const derNull = (): Buffer => element(Tag.Null);
/** `[n]` EXPLICIT (or IMPLICIT of a constructed type): constructed context-specific. */
export const derContextConstructed = (n: number, ...items: Buffer[]): Buffer => element(0xa0 | n, ...items);
/** `[n]` IMPLICIT of a primitive type. */
export const derContextPrimitive = (n: number, value: Buffer): Buffer => element(0x80 | n, value);

export function derSmallInteger(value: number): Buffer {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) throw new RangeError('small INTEGER out of range');
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0] & 0x80) bytes.unshift(0);
  return element(Tag.Integer, Buffer.from(bytes));
}

export function derOid(dotted: string): Buffer {
  const arcs = dotted.split('.').map((a) => {
    if (!/^\d+$/.test(a)) throw new RangeError(`bad OID ${dotted}`);
    return Number(a);
  });
  if (arcs.length < 2) throw new RangeError(`bad OID ${dotted}`);
  const values = [arcs[0] * 40 + arcs[1], ...arcs.slice(2)];
  const bytes: number[] = [];
  for (const value of values) {
    const groups: number[] = [];
    let v = value;
    do {
      groups.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    for (let i = 0; i < groups.length - 1; i++) groups[i] |= 0x80;
    bytes.push(...groups);
  }
  return element(Tag.ObjectIdentifier, Buffer.from(bytes));
}
