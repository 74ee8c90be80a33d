import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';

// A self-signed TLS certificate for 127.0.0.1 and localhost, made at start-up. The SDK sends Entra ID (AAD) tokens
// only over https (its bearer-token policy refuses plain http), so the local server serves TLS when asked to; Node
// has no API that writes an X.509 certificate, hence this minimal DER encoder.

/** A certificate (PEM) the client trusts, and the private key (PEM) the server presents it with. */
export interface LocalCertificate {
  certificate: string;
  privateKey: string;
}

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const sequence = (...content: Buffer[]) => tlv(0x30, ...content);
const set = (...content: Buffer[]) => tlv(0x31, ...content);
const explicit = (tagNumber: number, content: Buffer) => tlv(0xa0 + tagNumber, content);

function objectId(dotted: string): Buffer {
  const [first, second, ...rest] = dotted.split('.').map(Number);
  const bytes = [first! * 40 + second!];
  for (const arc of rest) {
    const groups: number[] = [];
    for (let value = arc; ; value = Math.floor(value / 128)) {
      groups.unshift((value % 128) | (groups.length > 0 ? 0x80 : 0));
      if (value < 128) break;
    }
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

function positiveInteger(bytes: Buffer): Buffer {
  return tlv(0x02, bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function utcTime(date: Date): Buffer {
  const two = (value: number) => String(value).padStart(2, '0');
  const text =
    two(date.getUTCFullYear() % 100) +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    'Z';
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

const commonName = (name: string) => sequence(set(sequence(objectId('2.5.4.3'), tlv(0x0c, Buffer.from(name, 'utf8')))));

const ecdsaWithSha256 = sequence(objectId('1.2.840.10045.4.3.2'));

/** Subject alternative names: DNS `localhost` and IP 127.0.0.1 (what TLS clients check the host against). */
const subjectAltName = sequence(
  objectId('2.5.29.17'),
  tlv(0x04, sequence(tlv(0x82, Buffer.from('localhost', 'ascii')), tlv(0x87, Buffer.from([127, 0, 0, 1])))),
);

/** Makes a fresh P-256 key and a self-signed certificate for it, valid from a day ago for a year. */
export function localCertificate(now = new Date()): LocalCertificate {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const day = 24 * 60 * 60 * 1000;
  const name = commonName('Tributary local Cosmos DB');
  const tbs = sequence(
    explicit(0, tlv(0x02, Buffer.from([2]))),
    positiveInteger(randomBytes(16)),
    ecdsaWithSha256,
    name,
    sequence(utcTime(new Date(now.getTime() - day)), utcTime(new Date(now.getTime() + 365 * day))),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
    explicit(3, sequence(subjectAltName)),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = sequence(tbs, ecdsaWithSha256, tlv(0x03, Buffer.from([0]), signature));
  const base64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return {
    certificate: `-----BEGIN CERTIFICATE-----\n${base64}${base64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
