import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { edgePolicy, isJsonContentType, refuseRequest } from '../../../src/dev/request-guard.ts';

const json = 'application/json';

describe('the dev host’s request guard', () => {
  it('accepts the loopback names with the port, and the bound interface when it is not a wildcard', () => {
    const policy = edgePolicy('192.168.1.5', 7071);
    for (const host of ['127.0.0.1:7071', 'localhost:7071', '[::1]:7071', '192.168.1.5:7071']) {
      expect(refuseRequest(policy, 'GET', { host }), host).toBeUndefined();
    }
    expect(refuseRequest(edgePolicy('::1', 7071), 'GET', { host: '[::1]:7071' })).toBeUndefined();
    expect(refuseRequest(edgePolicy('0.0.0.0', 7071), 'GET', { host: '0.0.0.0:7071' })).toMatchObject({ status: 403 });
    expect(refuseRequest(edgePolicy('127.0.0.1', 80), 'GET', { host: 'localhost' })).toBeUndefined();
  });

  it('refuses any other Host, whatever the method', () => {
    const policy = edgePolicy('127.0.0.1', 7071);
    fc.assert(
      fc.property(
        fc.oneof(fc.domain(), fc.string()),
        fc.constantFrom('GET', 'HEAD', 'POST', 'OPTIONS'),
        (host, method) => {
          fc.pre(!policy.hosts.has(host.trim().toLowerCase()));
          expect(refuseRequest(policy, method, { host, contentType: json })).toMatchObject({
            status: 403,
            body: { error: 'HostNotAllowed' },
          });
        },
      ),
    );
  });

  it('lets a state-changing request through only from no origin, its own origin or a configured one', () => {
    const policy = edgePolicy('127.0.0.1', 7071, ['http://localhost:5173']);
    const host = '127.0.0.1:7071';
    for (const origin of [undefined, 'http://127.0.0.1:7071', 'http://localhost:7071', 'http://localhost:5173']) {
      expect(refuseRequest(policy, 'POST', { host, origin, contentType: json }), origin).toBeUndefined();
    }
    fc.assert(
      fc.property(fc.webUrl(), fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE'), (origin, method) => {
        fc.pre(!policy.origins.has(origin.toLowerCase()));
        expect(refuseRequest(policy, method, { host, origin, contentType: json })).toMatchObject({ status: 403 });
      }),
    );
    expect(refuseRequest(policy, 'GET', { host, origin: 'http://evil.example' })).toBeUndefined();
  });

  it('takes only application/json in UTF-8 as a content type', () => {
    for (const type of [json, 'application/json; charset=utf-8', 'Application/JSON;charset="UTF-8"']) {
      expect(isJsonContentType(type), type).toBe(true);
    }
    for (const type of [undefined, '', 'text/plain', 'application/json; charset=utf-16', 'application/jsonx']) {
      expect(isJsonContentType(type), type).toBe(false);
    }
    fc.assert(
      fc.property(fc.string(), (type) => {
        fc.pre(!type.toLowerCase().trim().startsWith('application/json'));
        expect(isJsonContentType(type)).toBe(false);
      }),
    );
  });
});
