import { bothInOrder } from './both-in-order';

const later = <T>(ms: number, value: T, fail = false): Promise<T> => new Promise((resolve, reject) => setTimeout(() => (fail ? reject(value) : resolve(value)), ms));

describe('bothInOrder', () => {
  it('gives both results', async () => {
    await expect(bothInOrder(later(5, 'a'), later(1, 'b'))).resolves.toEqual(['a', 'b']);
  });

  it('reports the first step’s failure even when the second failed earlier, and releases what the second made', async () => {
    await expect(bothInOrder(later(5, 'denied', true), later(1, 'storage down', true))).rejects.toBe('denied');
    const released: string[] = [];
    await expect(bothInOrder(later(5, 'denied', true), later(1, 'stream'), (s) => released.push(s))).rejects.toBe('denied');
    expect(released).toEqual(['stream']);
    await expect(bothInOrder(later(1, 'key'), later(5, 'storage down', true))).rejects.toBe('storage down');
  });
});
