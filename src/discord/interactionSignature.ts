import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The Developer Portal's Public Key (32 raw bytes as 64 hex characters) as a key node:crypto verifies with. */
export function interactionPublicKey(hex: string): KeyObject {
  const raw = Buffer.from(hex, 'hex');
  if (raw.length !== 32) throw new Error('an Ed25519 public key is 32 bytes (64 hexadecimal characters)');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/**
 * Discord signs `timestamp + raw body` with the application's Ed25519 key (X-Signature-Ed25519, hex) and sends the
 * timestamp as X-Signature-Timestamp. Anything missing or malformed is simply not verified.
 */
export function isSignedByDiscord(
  key: KeyObject,
  signature: string | string[] | undefined,
  timestamp: string | string[] | undefined,
  body: Buffer,
): boolean {
  if (typeof signature !== 'string' || typeof timestamp !== 'string') return false;
  if (!/^[0-9a-f]{128}$/i.test(signature) || timestamp.length === 0) return false;
  return verify(null, Buffer.concat([Buffer.from(timestamp, 'utf8'), body]), key, Buffer.from(signature, 'hex'));
}
