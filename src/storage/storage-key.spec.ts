import { StorageInvalidKeyException } from './storage.exception';
import { storageKeySegments } from './storage-key';

describe('storageKeySegments', () => {
  it('splits a valid nested key', () => {
    expect(storageKeySegments('cc/0b6f/screen/a-1_2.bin')).toEqual(['cc', '0b6f', 'screen', 'a-1_2.bin']);
    expect(storageKeySegments('file.tar.gz')).toEqual(['file.tar.gz']);
  });

  it.each([
    ['', 'empty'],
    ['/etc/passwd', 'absolute'],
    ['../x', 'parent'],
    ['a/../../x', 'parent inside'],
    ['a/./b', 'dot segment'],
    ['a//b', 'empty segment'],
    ['a/', 'trailing slash'],
    ['a\\..\\b', 'backslash'],
    ['a/%2e%2e/b', 'percent-encoding'],
    ['a/.hidden', 'dot file'],
    ['a b', 'space'],
    ['a/b\u0000c', 'NUL'],
    ['ü', 'non-ASCII'],
    ['x'.repeat(256), 'long segment'],
    [`${'a/'.repeat(600)}b`, 'long key'],
  ])('refuses %j (%s)', (key) => {
    expect(() => storageKeySegments(key)).toThrow(StorageInvalidKeyException);
  });
});
