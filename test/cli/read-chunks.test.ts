/**
 * The CLI's input reader: one reused buffer per source, and a working fallback when a pipe was
 * left non-blocking (read() answers EAGAIN instead of waiting).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readChunks } from '../../src/cli/read-chunks';

const dir = mkdtempSync(join(tmpdir(), 'read-chunks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function collect(it: AsyncIterable<Uint8Array>): Promise<{ data: Buffer; buffers: Set<ArrayBufferLike>; count: number }> {
  const parts: Buffer[] = [];
  const buffers = new Set<ArrayBufferLike>();
  let count = 0;
  for await (const c of it) {
    parts.push(Buffer.from(c)); // a copy: the reader reuses its buffer
    buffers.add(c.buffer);
    count++;
  }
  return { data: Buffer.concat(parts), buffers, count };
}

describe('readChunks', () => {
  it('reads a file whole, every chunk a view of the same buffer', async () => {
    const data = Buffer.from(Array.from({ length: 10_000 }, (_, i) => i % 251));
    const f = join(dir, 'data.bin');
    writeFileSync(f, data);
    const r = await collect(readChunks(f, undefined, 4096));
    expect(r.data.equals(data)).toBe(true);
    expect(r.count).toBe(3);
    expect(r.buffers.size).toBe(1);
  });

  it('an empty file gives no chunks', async () => {
    const f = join(dir, 'empty');
    writeFileSync(f, '');
    expect((await collect(readChunks(f))).count).toBe(0);
  });

  it('a missing file is an ENOENT error', async () => {
    await expect(collect(readChunks(join(dir, 'nope')))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a non-blocking pipe with no data yet: EAGAIN hands over to the fallback stream, nothing lost', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const rfd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const wfd = openSync(fifo, constants.O_WRONLY);
    let fellBack = 0;
    // Nothing is written until the reader has met EAGAIN and asked for the fallback.
    const r = await collect(
      readChunks(rfd, () => {
        fellBack++;
        const s = new Socket({ fd: rfd, readable: true, writable: false });
        writeSync(wfd, 'key: 01 02\n');
        writeSync(wfd, 'value: 03\n');
        closeSync(wfd);
        return s;
      }),
    );
    expect(fellBack).toBe(1);
    expect(r.data.toString()).toBe('key: 01 02\nvalue: 03\n');
  });
});
