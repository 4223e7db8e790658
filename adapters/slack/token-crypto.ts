// Seals and opens secrets at rest with AES-256-GCM: a random 96-bit IV per value, a 128-bit tag, and
// associated data that binds a ciphertext to its row (a sealed value copied to another row does not open).
// Format: 'v1:{keyId}:{base64(iv | tag | ciphertext)}'; keyId names the key (first 8 hex of its SHA-256)
// so that a wrong key is reported as such, not as corrupt data.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { decodeKey32 } from '../../src/config/config.ts';

export class TokenCryptoError extends Error {}

export interface TokenCrypto {
  readonly keyId: string;
  seal(plain: string, associated: string): string;
  open(sealed: string, associated: string): string;
}

/** From SLACK_TOKEN_ENCRYPTION_KEY (32 bytes, base64 or hex). Throws a clear message otherwise. */
export function tokenCryptoFromKey(key: string | Buffer | undefined): TokenCrypto {
  if (key === undefined || key === '') {
    throw new TokenCryptoError('SLACK_TOKEN_ENCRYPTION_KEY is not set: OAuth mode stores workspace tokens encrypted and will not start without it. Generate one with `openssl rand -base64 32`.');
  }
  const bytes = typeof key === 'string' ? decodeKey32(key) : key.length === 32 ? key : null;
  if (!bytes) throw new TokenCryptoError('SLACK_TOKEN_ENCRYPTION_KEY must be 32 bytes, as base64 (44 characters) or hex (64 characters).');
  const keyId = createHash('sha256').update(bytes).digest('hex').slice(0, 8);
  return {
    keyId,
    seal(plain, associated) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', bytes, iv);
      cipher.setAAD(Buffer.from(associated, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `v1:${keyId}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
    },
    open(sealed, associated) {
      const [version, id, data] = sealed.split(':');
      if (version !== 'v1' || !id || !data) throw new TokenCryptoError('stored secret is not in the v1 format');
      if (id !== keyId) {
        throw new TokenCryptoError(`stored secret was sealed with another key (key id ${id}; SLACK_TOKEN_ENCRYPTION_KEY has id ${keyId})`);
      }
      const raw = Buffer.from(data, 'base64');
      if (raw.length < 12 + 16) throw new TokenCryptoError('stored secret is truncated');
      const decipher = createDecipheriv('aes-256-gcm', bytes, raw.subarray(0, 12));
      decipher.setAAD(Buffer.from(associated, 'utf8'));
      decipher.setAuthTag(raw.subarray(12, 28));
      try {
        return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
      } catch {
        throw new TokenCryptoError('stored secret failed its integrity check (tampered, or moved from another row)');
      }
    },
  };
}
