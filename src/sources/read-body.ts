// Reading a response body with a size cap, undoing gzip/deflate/br, and decoding text by its charset.
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const inflateRaw = promisify(zlib.inflateRaw);
const brotli = promisify(zlib.brotliDecompress);

export type BodyRead =
  | { ok: true; data: Uint8Array; wireBytes: number }
  | { ok: false; reason: 'too-large' | 'bad-encoding'; wireBytes: number; detail: string };

interface DestroyableStream extends AsyncIterable<Uint8Array | string> {
  destroy(error?: Error): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** Stops reading a body and closes it; the error a stream emits when destroyed part-way is expected, so ignored. */
export function discardBody(stream: DestroyableStream): void {
  stream.on('error', () => undefined);
  stream.destroy();
}

/** Reads at most `maxBytes` (before and after decompression); stops reading, and says so, past it. */
export async function readBody(stream: DestroyableStream, contentEncoding: string | null, maxBytes: number): Promise<BodyRead> {
  const chunks: Buffer[] = [];
  let wireBytes = 0;
  for await (const chunk of stream) {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    wireBytes += buf.byteLength;
    if (wireBytes > maxBytes) {
      discardBody(stream);
      return { ok: false, reason: 'too-large', wireBytes, detail: `more than ${maxBytes} bytes` };
    }
    chunks.push(buf);
  }
  const raw = Buffer.concat(chunks);
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  const options = { maxOutputLength: Math.max(1, maxBytes) };
  try {
    switch (encoding) {
      case '':
      case 'identity':
        return { ok: true, data: new Uint8Array(raw), wireBytes };
      case 'gzip':
      case 'x-gzip':
        return { ok: true, data: new Uint8Array(await gunzip(raw, options)), wireBytes };
      case 'br':
        return { ok: true, data: new Uint8Array(await brotli(raw, options)), wireBytes };
      case 'deflate': {
        // Some servers send raw deflate under this name.
        const data = await inflate(raw, options).catch((error: unknown) => {
          if (isTooLarge(error)) throw error;
          return inflateRaw(raw, options);
        });
        return { ok: true, data: new Uint8Array(data), wireBytes };
      }
      default:
        return { ok: false, reason: 'bad-encoding', wireBytes, detail: `unknown content-encoding "${encoding}"` };
    }
  } catch (error) {
    return isTooLarge(error)
      ? { ok: false, reason: 'too-large', wireBytes, detail: `more than ${maxBytes} bytes once decompressed` }
      : { ok: false, reason: 'bad-encoding', wireBytes, detail: `the ${encoding} body could not be decompressed` };
  }
}

function isTooLarge(error: unknown): boolean {
  return error instanceof RangeError || (error as { code?: string } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

/** Bytes to text using the charset in a Content-Type header (UTF-8 when absent or unknown). */
export function decodeText(data: Uint8Array, contentType: string | null): string {
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1] ?? 'utf-8';
  try {
    return new TextDecoder(charset).decode(data);
  } catch {
    return new TextDecoder('utf-8').decode(data);
  }
}
