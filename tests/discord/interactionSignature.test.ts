import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { interactionPublicKey, isSignedByDiscord } from '../../src/discord/interactionSignature.ts';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const publicKeyHex = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
const key = interactionPublicKey(publicKeyHex);
const body = Buffer.from('{"type":2,"id":"1"}');
const timestamp = '1760000000';
const signature = sign(null, Buffer.concat([Buffer.from(timestamp), body]), privateKey).toString('hex');

describe('the Ed25519 check of an interaction Discord signed', () => {
  it('accepts the signature of timestamp + body by the application key', () => {
    expect(isSignedByDiscord(key, signature, timestamp, body)).toBe(true);
  });

  it('refuses a missing signature or timestamp', () => {
    expect(isSignedByDiscord(key, undefined, timestamp, body)).toBe(false);
    expect(isSignedByDiscord(key, signature, undefined, body)).toBe(false);
    expect(isSignedByDiscord(key, '', '', body)).toBe(false);
  });

  it('refuses a tampered body or timestamp', () => {
    expect(isSignedByDiscord(key, signature, timestamp, Buffer.from('{"type":2,"id":"2"}'))).toBe(false);
    expect(isSignedByDiscord(key, signature, '1760000001', body)).toBe(false);
  });

  it('refuses a signature by another key, and one that is not hex of 64 bytes', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const foreign = sign(null, Buffer.concat([Buffer.from(timestamp), body]), other).toString('hex');
    expect(isSignedByDiscord(key, foreign, timestamp, body)).toBe(false);
    expect(isSignedByDiscord(key, 'zz'.repeat(64), timestamp, body)).toBe(false);
    expect(isSignedByDiscord(key, signature.slice(2), timestamp, body)).toBe(false);
    expect(isSignedByDiscord(key, [signature], timestamp, body)).toBe(false);
  });

  it('a public key that is not 32 bytes is refused when read', () => {
    expect(() => interactionPublicKey('ab'.repeat(31))).toThrow(/32 bytes/);
  });
});
