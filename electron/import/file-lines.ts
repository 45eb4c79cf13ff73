/**
 * The lines of a text file, read synchronously in chunks: constant memory whatever the file size, and
 * synchronous so that an import's store pass can run inside one SQLite transaction.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export function* fileLines(file: string, chunkBytes = 1 << 16): Generator<{ line: number; text: string }> {
  const fd = fs.openSync(file, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.alloc(chunkBytes);
    let rest = '';
    let line = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, chunkBytes, null);
      const text = rest + (n > 0 ? decoder.write(buf.subarray(0, n)) : decoder.end());
      const parts = text.split('\n');
      rest = n > 0 ? parts.pop()! : '';
      for (const part of parts) yield { line: ++line, text: part.endsWith('\r') ? part.slice(0, -1) : part };
      if (n === 0) break;
    }
  } finally {
    fs.closeSync(fd);
  }
}
