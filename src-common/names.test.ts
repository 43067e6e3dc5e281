import { describe, expect, it } from 'vitest';
import { downloadName, visibleName } from './names';

describe('visibleName', () => {
  it('drops control and text-direction characters and keeps the rest', () => {
    expect(visibleName('report\u202etxt.exe')).toBe('reporttxt.exe');
    expect(visibleName('a\u0000b\u001fc\u007fd\u009fe\u200ef\u2066g')).toBe('abcdefg');
    expect(visibleName('Ünïcødé 文件 (1).zip')).toBe('Ünïcødé 文件 (1).zip');
  });

  it('gives the same answer however often it is asked', () => {
    // One pattern serves every call: no state may carry over from one name to the next.
    for (let i = 0; i < 3; i += 1) {
      expect(visibleName('x\u202ey\u202ez')).toBe('xyz');
      expect(visibleName('plain.bin')).toBe('plain.bin');
    }
  });
});

describe('downloadName', () => {
  it("takes the file name, else the URL's last part, without hidden characters", () => {
    expect(downloadName({ fileName: 'a\u202egnp.exe', url: 'http://h/x' })).toBe('agnp.exe');
    expect(downloadName({ url: 'http://h/dir/a%E2%80%AEgnp.exe' })).toBe('agnp.exe');
    expect(downloadName({ url: 'http://h/' })).toBe('h');
  });
});
