import { BLOCK, pkcs7PaddingLength, planRange, RangeOutsideMediaError } from './range-plan';

describe('planRange', () => {
  it('reads one block before the range, or starts at 0 with the envelope IV', () => {
    const layout = { ciphertextSize: 160, plaintextSize: 150 };
    expect(planRange(layout, { start: 0, end: 9 })).toMatchObject({ readStart: 0, readEnd: 15, ivBlockOffset: undefined, decryptStart: 0, decryptEnd: 16, touchesLastBlock: false });
    expect(planRange(layout, { start: 40, end: 40 })).toMatchObject({ readStart: 16, readEnd: 47, ivBlockOffset: 16, decryptStart: 32, decryptEnd: 48 });
    expect(planRange(layout, { start: 140, end: 149 })).toMatchObject({ readStart: 112, readEnd: 159, ivBlockOffset: 112, decryptStart: 128, touchesLastBlock: true });
  });

  it('widens to whole chunks when chunk tags are verified', () => {
    const plan = planRange({ ciphertextSize: 1000 * 16, plaintextSize: 1000 * 16 - 3, chunkSize: 256 }, { start: 300, end: 700 });
    expect(plan).toMatchObject({ firstChunk: 1, lastChunk: 2, readStart: 256, readEnd: 767 });
  });

  it('for every small layout and range, covers exactly the blocks CBC needs', () => {
    const failures: string[] = [];
    for (const chunkSize of [undefined, 16, 48]) {
      for (let c = 16; c <= 80; c += 16) {
        for (let p = c - 16; p < c; p++) {
          for (let s = 0; s < p; s++) {
            for (let e = s; e < p; e++) {
              const plan = planRange({ ciphertextSize: c, plaintextSize: p, chunkSize }, { start: s, end: e });
              const firstBlock = Math.floor(s / BLOCK);
              const ok =
                plan.decryptStart === firstBlock * BLOCK &&
                plan.decryptEnd === Math.floor(e / BLOCK) * BLOCK + BLOCK &&
                plan.readStart <= (firstBlock === 0 ? 0 : (firstBlock - 1) * BLOCK) &&
                plan.readEnd >= plan.decryptEnd - 1 &&
                plan.readEnd < c &&
                plan.touchesLastBlock === (plan.decryptEnd === c) &&
                (plan.ivBlockOffset === undefined) === (firstBlock === 0) &&
                (!chunkSize || (plan.readStart % chunkSize === 0 && ((plan.readEnd + 1) % chunkSize === 0 || plan.readEnd === c - 1)));
              if (!ok) failures.push(`c=${c} p=${p} chunk=${chunkSize} ${s}-${e}: ${JSON.stringify(plan)}`);
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('plans the empty file as its one padding block', () => {
    expect(planRange({ ciphertextSize: 16, plaintextSize: 0 })).toMatchObject({ start: 0, end: -1, readStart: 0, readEnd: 15, touchesLastBlock: true });
  });

  it('refuses ranges outside the plaintext and impossible sizes', () => {
    expect(() => planRange({ ciphertextSize: 32, plaintextSize: 20 }, { start: 10, end: 20 })).toThrow(RangeOutsideMediaError);
    expect(() => planRange({ ciphertextSize: 32, plaintextSize: 20 }, { start: 5, end: 4 })).toThrow(RangeOutsideMediaError);
    expect(() => planRange({ ciphertextSize: 30, plaintextSize: 20 })).toThrow(RangeError);
    expect(() => planRange({ ciphertextSize: 32, plaintextSize: 10 })).toThrow(RangeError);
  });
});

describe('pkcs7PaddingLength', () => {
  it('accepts 1…16 equal bytes and rejects anything else', () => {
    for (let pad = 1; pad <= 16; pad++) {
      const block = Buffer.alloc(16, 0xaa);
      block.fill(pad, 16 - pad);
      expect(pkcs7PaddingLength(block)).toBe(pad);
    }
    expect(pkcs7PaddingLength(Buffer.alloc(16, 0))).toBe(0);
    expect(pkcs7PaddingLength(Buffer.alloc(16, 17))).toBe(0);
    const uneven = Buffer.alloc(16, 3);
    uneven[14] = 2;
    expect(pkcs7PaddingLength(uneven)).toBe(0);
  });
});
