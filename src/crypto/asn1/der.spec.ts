import { Asn1Error, decodeDer, derOid, derSequence, derSmallInteger, octetStringValue, oidValue, smallIntegerValue } from './der';

describe('DER codec', () => {
  it('round-trips object identifiers, including large arcs', () => {
    for (const oid of ['1.2.840.113549.1.7.3', '2.16.840.1.101.3.4.1.42', '1.3.14.3.2.26', '2.999.1', '0.9.2342.19200300.100.1.25']) {
      expect(oidValue(decodeDer(derOid(oid)))).toBe(oid);
    }
    expect(derOid('1.2.840.113549.1.7.3').toString('hex')).toBe('06092a864886f70d010703');
  });

  it('encodes long lengths and small integers as DER', () => {
    const big = derSequence(Buffer.alloc(300));
    expect(big.subarray(0, 4).toString('hex')).toBe('3082012c');
    expect(derSmallInteger(0).toString('hex')).toBe('020100');
    expect(derSmallInteger(128).toString('hex')).toBe('02020080');
    expect(smallIntegerValue(decodeDer(derSmallInteger(70000)))).toBe(70000);
  });

  it('reads BER indefinite lengths and constructed OCTET STRINGs (as OpenSSL streams them)', () => {
    // SEQUENCE (indefinite) { OCTET STRING (constructed, indefinite) { "ab", "cd" } }
    const ber = Buffer.from('3080' + '2480' + '04026162' + '04026364' + '0000' + '0000', 'hex');
    const root = decodeDer(ber);
    expect(root.children).toHaveLength(1);
    expect(octetStringValue(root.children[0]).toString()).toBe('abcd');
    expect(root.raw.length).toBe(ber.length);
  });

  it('refuses truncated, overlong and trailing input', () => {
    expect(() => decodeDer(Buffer.from('3005020100', 'hex'))).toThrow(Asn1Error);
    expect(() => decodeDer(Buffer.from('30030201000000', 'hex'))).toThrow(/trailing/);
    expect(() => decodeDer(Buffer.from('3080020100', 'hex'))).toThrow(/unterminated/);
    expect(() => decodeDer(Buffer.from('3085ffffffffff', 'hex'))).toThrow(/too large/);
    expect(() => decodeDer(Buffer.from('0480', 'hex'))).toThrow(/primitive/);
    let deep: Buffer = Buffer.from('0500', 'hex');
    for (let i = 0; i < 40; i++) deep = derSequence(deep);
    expect(() => decodeDer(deep)).toThrow(/too deep/);
  });
});
