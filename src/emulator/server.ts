import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { AccountState } from './account.ts';
import { handleAdmin } from './admin.ts';
import type { Reply, RequestContext } from './api.ts';
import { signedResource } from './auth.ts';
import { localCertificate } from './certificate.ts';
import type { ContainerState, PhysicalRange } from './container.ts';
import { MAX_DOCUMENT_BYTES } from './documents.ts';
import { CosmosError, InvalidLocalCosmosOptions, SubStatus } from './errors.ts';
import { FaultInjector } from './faults.ts';
import { MetricsRecorder } from './metrics.ts';
import { classify } from './operation-kind.ts';
import type { PartitionKeyComponent } from './partition-key-hash.ts';
import { Journal } from './persistence.ts';
import { QueryCursors } from './query-cursors.ts';
import { type AuthSettings, authorize, isLocalAudience } from './request-auth.ts';
import { route } from './routes.ts';
import type { FaultRule, LocalCosmos, LocalCosmosOptions, OperationKind } from './types.ts';
import { WELL_KNOWN_EMULATOR_KEY } from './types.ts';

/** Request bodies beyond this are not even read: the answer is 413 either way. */
const MAX_BODY_BYTES = 4 * MAX_DOCUMENT_BYTES;

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function errorReply(error: unknown): Reply {
  if (error instanceof CosmosError) {
    return {
      status: error.status,
      headers: error.headers,
      body: JSON.stringify({ code: error.code, message: error.message }),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: JSON.stringify({ code: 'InternalServerError', message }) };
}

function segmentsOf(pathname: string): string[] {
  try {
    return pathname
      .split('/')
      .filter((segment) => segment !== '')
      .map((segment) => decodeURIComponent(segment));
  } catch {
    throw new CosmosError(400, `The request path ${pathname} is not valid URL encoding.`);
  }
}

/** Starts the local Cosmos DB gateway on 127.0.0.1 (`port: 0` picks a free port). */
export async function startLocalCosmos(options: LocalCosmosOptions = {}): Promise<LocalCosmos> {
  const key = options.key ?? WELL_KNOWN_EMULATOR_KEY;
  const keyBytes = Buffer.from(key, 'base64');
  if (keyBytes.length === 0) throw new InvalidLocalCosmosOptions('The master key must be a non-empty base64 string.');
  const partitions = options.partitions ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 64) {
    throw new InvalidLocalCosmosOptions(`partitions must be an integer from 1 to 64, not ${partitions}.`);
  }

  let journal: Journal | undefined;
  let replaying = true;
  /** Journal records since the last snapshot; the journal is folded into a new snapshot when it outgrows the data. */
  let journaled = 0;
  const account = new AccountState(partitions, (record) => {
    if (replaying || !journal) return;
    journal.append(record);
    journaled++;
  });
  const compactIfLarge = () => {
    if (!journal || journaled < Math.max(50_000, 2 * account.documentCount())) return;
    journal.compact(account.snapshot());
    journaled = 0;
  };
  if (options.dataDir) {
    const opened = Journal.open(options.dataDir);
    for (const record of opened.records) account.applyRecord(record);
    journal = opened.journal;
    journaled = opened.journalRecords;
    compactIfLarge();
  }
  replaying = false;

  const faults = new FaultInjector();
  const metrics = new MetricsRecorder();
  let endpoint = '';
  let port = -1;
  const auth: AuthSettings = {
    key: keyBytes,
    account: 'tributary-local',
    isAudience: (audience) => isLocalAudience(audience, port),
    disableLocalAuth: options.disableLocalAuth ?? false,
    now: Date.now,
  };

  const context: RequestContext = {
    account,
    queryCursors: new QueryCursors(),
    endpoint: () => endpoint,
    journalWrite: (container, databaseId, docs) => account.recordWrite(container, databaseId, docs),
  };

  /** Status 410 faults split the range the request involves, live; the request then proceeds as the SDK sent it. */
  function splitInvolvedRange(request: IncomingMessage, segments: string[]): void {
    if (segments[0] !== 'dbs' || segments[2] !== 'colls' || segments.length < 4) return;
    try {
      const container = account.container(segments[1]!, segments[3]!);
      account.split(segments[1]!, segments[3]!, involvedRange(container, request).id);
    } catch {
      // Nothing to split (unknown container or a range too narrow): the request proceeds unfaulted.
    }
  }

  /** Answers a request; `kind` undefined (admin routes) keeps it out of the metrics. */
  function send(response: ServerResponse, reply: Reply, kind: OperationKind | undefined, bytesIn: number): void {
    journal?.flush();
    compactIfLarge();
    const body = reply.status === 304 || reply.status === 204 ? undefined : reply.body;
    const bytesOut = body ? Buffer.byteLength(body) : 0;
    if (kind) {
      metrics.record(kind, {
        requests: 1,
        bytesIn,
        bytesOut,
        documentsRead: reply.documentsRead ?? 0,
        documentsWritten: reply.documentsWritten ?? 0,
      });
    }
    response.writeHead(reply.status, {
      'content-type': 'application/json',
      'x-ms-request-charge': '1',
      'x-ms-activity-id': randomUUID(),
      'x-ms-session-token': '0:-1#1',
      'x-ms-gatewayversion': 'tributary-local',
      ...(body !== undefined ? { 'content-length': String(bytesOut) } : {}),
      ...reply.headers,
    });
    response.end(body);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let kind: OperationKind | undefined = 'metadata';
    let bytesIn = 0;
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const segments = segmentsOf(url.pathname);
      const body = await readBody(request);
      if (body === 'too-large') {
        throw new CosmosError(413, 'Request size is too large: requests are limited to 2 MB.');
      }
      bytesIn = body.length;
      if (segments[0] === '_emulator') {
        kind = undefined;
        send(
          response,
          handleAdmin({ account, faults, metrics, key: keyBytes, now: Date.now }, request, segments, body),
          undefined,
          bytesIn,
        );
        return;
      }
      const verb = (request.method ?? 'GET').toUpperCase();
      kind = classify(verb, segments, request);
      const resource = signedResource(segments);
      const rawSegments = url.pathname.split('/').filter((segment) => segment !== '');
      const rawLink = signedResource(rawSegments).link;
      authorize(auth, {
        verb,
        segments,
        headers: request.headers,
        body,
        authorization: request.headers.authorization,
        date: (request.headers['x-ms-date'] ?? request.headers.date) as string | undefined,
        resourceType: resource.type,
        links: [resource.link, rawLink],
      });
      const fault = faults.take(kind);
      if (fault) {
        const outcome = await applyFault(fault, request, response, segments);
        if (outcome === 'handled') return;
      }
      if (body.length > MAX_DOCUMENT_BYTES && (kind === 'write' || kind === 'batch')) {
        throw new CosmosError(413, 'Request size is too large: documents and batches are limited to 2 MB.');
      }
      send(response, route(context, { verb, segments, headers: request.headers, body }), kind, bytesIn);
    } catch (error) {
      if (response.headersSent || response.destroyed) return;
      send(response, errorReply(error), kind, bytesIn);
    }
  }

  async function applyFault(
    fault: FaultRule,
    request: IncomingMessage,
    response: ServerResponse,
    segments: string[],
  ): Promise<'handled' | 'proceed'> {
    if (fault.latencyMs) {
      metrics.recordFault('latency');
      await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
    }
    if (fault.drop) {
      metrics.recordFault('drop');
      request.socket.destroy();
      return 'handled';
    }
    if (fault.status === undefined) return 'proceed';
    metrics.recordFault(fault.status);
    if (fault.status === 410) {
      splitInvolvedRange(request, segments);
      return 'proceed';
    }
    const headers: Record<string, string> =
      fault.status === 429
        ? { 'x-ms-retry-after-ms': String(fault.retryAfterMs ?? 10), 'x-ms-substatus': SubStatus.throttled }
        : {};
    const messages: Record<number, string> = {
      429: 'Request rate is large. More Request Units may be needed, so no changes were made. Please retry this request later.',
      503: 'The service is currently unavailable (injected by the local emulator).',
      408: 'The request timed out (injected by the local emulator).',
      400: "Cross partition query only supports 'VALUE <AggregateFunc>' for aggregates (injected by the local emulator: the query needs its query plan).",
    };
    const kindOf = classify((request.method ?? 'GET').toUpperCase(), segments, request);
    send(
      response,
      errorReply(new CosmosError(fault.status, messages[fault.status] ?? 'Injected fault.', headers)),
      kindOf,
      0,
    );
    return 'handled';
  }

  const certificate = options.tls ? localCertificate() : undefined;
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch(() => response.destroy());
  };
  const server = certificate
    ? createTlsServer({ keepAlive: true, cert: certificate.certificate, key: certificate.privateKey }, listener)
    : createServer({ keepAlive: true }, listener);
  server.keepAliveTimeout = 30_000;
  // Bytes that are not HTTP (or headers too large) never reach a route; they still get a JSON error body.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const body = JSON.stringify({ code: 'BadRequest', message: `Malformed HTTP request: ${error.message}` });
    socket.end(
      `HTTP/1.1 ${status} Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    journal?.close();
    throw error;
  }
  port = (server.address() as AddressInfo).port;
  endpoint = `${certificate ? 'https' : 'http'}://127.0.0.1:${port}`;

  let closed: Promise<void> | undefined;
  return {
    endpoint,
    key,
    ...(certificate ? { certificate: certificate.certificate } : {}),
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => {
        if (journal) {
          journal.compact(account.snapshot());
          journal.close();
        }
      });
      return closed;
    },
    faults: { add: (rule) => faults.add(rule), clear: () => faults.clear() },
    metrics: () => metrics.snapshot(),
    resetMetrics: () => metrics.reset(),
    async split(database, container, rangeId) {
      const children = account.split(database, container, rangeId);
      journal?.flush();
      return children;
    },
  };
}

/** The physical range a request involves: the one it names, the one holding its partition key, or the first. */
function involvedRange(container: ContainerState, request: IncomingMessage): PhysicalRange {
  const named = request.headers['x-ms-documentdb-partitionkeyrangeid'];
  if (typeof named === 'string' && container.rangesById.has(named)) return container.rangesById.get(named)!;
  const key = request.headers['x-ms-documentdb-partitionkey'];
  if (typeof key === 'string') {
    try {
      const components = (JSON.parse(key) as unknown[]).map((component) =>
        component !== null && typeof component === 'object' ? undefined : component,
      ) as PartitionKeyComponent[];
      return container.rangeForEpk(container.epkOf(components));
    } catch {
      // An unparsable key: the request will be refused anyway; split the first range.
    }
  }
  return container.ranges[0]!;
}
