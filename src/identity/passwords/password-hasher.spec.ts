import { PasswordHasher } from './password-hasher';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher(10); // low cost keeps the unit suite fast; the format carries the cost

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    await expect(hasher.verify('correct horse battery staple', hash)).resolves.toBe(true);
    await expect(hasher.verify('correct horse battery stapl', hash)).resolves.toBe(false);
    await expect(hasher.verify('', hash)).resolves.toBe(false);
  });

  it('salts: the same password hashes differently each time', async () => {
    const [a, b] = await Promise.all([hasher.hash('same'), hasher.hash('same')]);
    expect(a).not.toBe(b);
    await expect(hasher.verify('same', b)).resolves.toBe(true);
  });

  it('verifies hashes made with another cost (the cost travels in the hash)', async () => {
    const older = await new PasswordHasher(11).hash('pw');
    await expect(hasher.verify('pw', older)).resolves.toBe(true);
  });

  it('treats Unicode normalisation forms of one password alike', async () => {
    const hash = await hasher.hash('caf\u00e9');
    await expect(hasher.verify('cafe\u0301', hash)).resolves.toBe(true);
  });

  it('refuses unreadable or hostile hashes without computing them', async () => {
    for (const bad of ['', 'plain', '$scrypt$ln=30,r=8,p=1$c2FsdA$aGFzaGhhc2hoYXNoaGFzaA', '$argon2id$v=19$m=65536,t=3,p=4$abc$def', '$scrypt$ln=10,r=8,p=1$c2FsdA$c2hvcnQ']) {
      await expect(hasher.verify('pw', bad)).resolves.toBe(false);
    }
  });

  it('rejects an unusable cost at construction', () => {
    expect(() => new PasswordHasher(0)).toThrow();
    expect(() => new PasswordHasher(21)).toThrow();
  });
});

describe('PasswordHasher concurrency', () => {
  it('completes many concurrent checks correctly through its limited slots', async () => {
    const hasher = new PasswordHasher(10);
    const hash = await hasher.hash('pw');
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => hasher.verify(i % 3 === 0 ? 'pw' : 'nope', hash)));
    expect(results).toEqual(Array.from({ length: 12 }, (_, i) => i % 3 === 0));
  });
});
